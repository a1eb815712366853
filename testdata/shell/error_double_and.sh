echo ok && && echo never
