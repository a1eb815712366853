from debian:12 as base
ENV A hello  world
ENV B "x y" z
ENV C $A-\$D
LABEL description "a b" c
EXPOSE 80/TCP 8080:81
Run echo hi \

    there
CMD ["true"]
