FROM golang:1.11
WORKDIR /go
RUN go get -u github.com/gorilla/mux \
 && go get golang.org/x/tools/cmd/goimports \
 && go get golang.org/x/lint/golint
WORKDIR /go/src/app
COPY . .
CMD ["go", "run", "main.go"]
