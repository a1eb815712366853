# escape=x
# syntax=one
# syntax=two
FROM scratch
