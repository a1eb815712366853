echo `echo unterminated
