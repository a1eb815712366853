FROM scratch
FOO bar baz
FRM alpine
CMD echo done
