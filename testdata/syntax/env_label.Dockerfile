FROM scratch
ENV name value
ENV ONE TWO= THREE=world
ENV name=value name2="two words" name3=a\ b
ENV name="a\"b" other='x"y'
ENV "a=b"
ENV multi=1 \
    line=2
LABEL maintainer="Jane" org.opencontainers.image.title='App'
LABEL legacy label value
ENV
