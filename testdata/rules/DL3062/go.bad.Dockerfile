FROM golang:1.22
RUN go install github.com/go-delve/delve/cmd/dlv
RUN go get -u golang.org/x/tools/cmd/goimports
RUN go run -ldflags "-s" github.com/example/tool arg1
ONBUILD RUN go install honnef.co/go/tools/cmd/staticcheck
RUN go install golang.org/x/tools/gopls@latest
