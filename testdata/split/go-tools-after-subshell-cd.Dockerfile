# The `cd` that checks out the sources runs in a subshell: the `go install`s after it run where
# the RUN started, so they leave for dev as they are.
FROM golang:1.22
RUN git clone https://github.com/golang/tools.git /go/src/golang.org/x/tools \
 && (cd /go/src/golang.org/x/tools && git checkout -q v0.20.0) \
 && go install -v golang.org/x/tools/cmd/cover \
 && go install -v golang.org/x/tools/cmd/goimports
COPY . /app
CMD ["/app/run"]
