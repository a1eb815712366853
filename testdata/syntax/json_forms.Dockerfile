FROM scratch
CMD ["echo", "hi"]
CMD [ "a" , "b" ]
CMD []
CMD ["\u00e9", "\" \\ \/ \t"]
CMD ['single', 'quotes']
CMD ["missing" "comma"]
CMD ["unterminated"
CMD ["a"] trailing text
ENTRYPOINT ["/bin/app", "--serve"]
ENTRYPOINT /bin/app --serve
RUN ["apt-get", "update"]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
SHELL /bin/sh -c
