# a plain comment first
# escape=`
FROM scratch
