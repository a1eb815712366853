FROM python:3.12
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt . \
 && pip install --no-cache-dir -e ./lib "requests>=2.31" flask~=3.0 "uvicorn[standard]==0.30" \
 && pip install --no-cache-dir dist/app-1.0-py3-none-any.whl ./app-1.0.tar.gz \
 && pip install --no-cache-dir git+https://github.com/org/tool.git@v1.2#egg=tool \
 && pip install --no-cache-dir https://example.com/pkgs/lib.zip $EXTRA \
 && pip download requests && pip uninstall -y six
