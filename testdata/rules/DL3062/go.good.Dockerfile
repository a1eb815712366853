FROM golang:1.22
WORKDIR /src
RUN go install github.com/go-delve/delve/cmd/dlv@v1.22.0
RUN go install ./...
RUN go install
RUN go run main.go github.com/not/a/package
RUN go run . --flag
RUN go get golang.org/x/tools@v0.20.0
RUN go build -o /out ./cmd/app
RUN go install cmd/vet
RUN go install "${PKG}"
