# Two ways to put svinit into an image. There is no registry here, so the base images are made
# locally by scripts/build-images.sh and passed as a build argument:
#
#   bash scripts/build-images.sh && npm run build && npm run build:exe
#   docker build --target with-node  --build-arg BASE=svinit-base:node   -t myapp .
#   docker build --target standalone --build-arg BASE=svinit-base:nonode -t myapp-standalone .
#
# Any image with Node 20+ works for the first; the second needs no Node at all (glibc only).

ARG BASE=svinit-base:node

# 1. The esbuild bundle, run by the image's node; the native addon sits beside it.
FROM ${BASE} AS with-node
COPY dist/svinit.cjs dist/svctl.cjs dist/pidproxy.cjs dist/svinit.node /opt/svinit/
RUN for t in svinit svctl pidproxy; do printf '#!/bin/sh\nexec node /opt/svinit/%s.cjs "$@"\n' "$t" > /usr/local/bin/$t; chmod 755 /usr/local/bin/$t; done
COPY examples/supervisord.conf /etc/supervisord.conf
ENTRYPOINT ["svinit"]

# 2. The standalone executable (Node SEA): one file that is svinit, svctl or pidproxy by its name.
FROM ${BASE} AS standalone
COPY dist/svinit-exe /usr/local/bin/svinit
# The addon also rides inside the executable, but loading it from there needs an exec-allowed
# writable /tmp; beside the executable it works on a read-only root with noexec tmpfs too.
COPY dist/svinit.node /usr/local/bin/svinit.node
RUN ln -s svinit /usr/local/bin/svctl && ln -s svinit /usr/local/bin/pidproxy
COPY examples/supervisord.conf /etc/supervisord.conf
ENTRYPOINT ["svinit"]
