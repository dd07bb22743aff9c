# svinit's images, built from a clean checkout on amd64 or arm64; nothing is built on the host:
#
#   docker build -t svinit .                                 with Node (the default target)
#   docker build --target standalone -t svinit-standalone .  without Node: one executable
#
# The base images are build arguments; the defaults are the public images:
#   BUILDER    compiles: Node 20+ with npm and Node's headers, a C toolchain and python3 (node-gyp)
#   NODE_BASE  runs the bundle: any image with Node 20+
#   BASE       runs the standalone executable, which is BUILDER's node with svinit inside: any image
#              with the same C library family as BUILDER (glibc for the Debian-based defaults)

ARG BUILDER=node:20-bookworm
ARG NODE_BASE=node:20-bookworm-slim
ARG BASE=debian:bookworm-slim

# 1. Dependencies, the native addon and the esbuild bundles under /src/dist.
FROM ${BUILDER} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: the only one that matters is the addon's, run below where a failure stops
# the build (the package's own install script lets a host without a compiler go on without it).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# node-gyp takes Node's headers from the node that runs it instead of downloading them.
RUN export npm_config_nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")" \
 && npm run build:native \
 && npm run build \
 && test -f dist/svinit.node

# 2. The standalone executable (Node SEA): node with the bundle and the addon injected.
FROM build AS exe
RUN npm run build:exe

# 3. Without Node: one file that is svinit, svctl or pidproxy by the name it is called by.
FROM ${BASE} AS standalone
COPY --from=exe /src/dist/svinit-exe /usr/local/bin/svinit
# The addon also rides inside the executable, but loading it from there needs an exec-allowed
# writable /tmp; beside the executable it works on a read-only root with a noexec tmpfs too.
COPY --from=exe /src/dist/svinit.node /usr/local/bin/svinit.node
RUN ln -s svinit /usr/local/bin/svctl && ln -s svinit /usr/local/bin/pidproxy
COPY examples/supervisord.conf /etc/supervisord.conf
ENTRYPOINT ["svinit"]
CMD []

# 4. With Node (the default target): the bundle run by the image's node, the addon beside it.
FROM ${NODE_BASE} AS with-node
COPY --from=build /src/dist/svinit.cjs /src/dist/svctl.cjs /src/dist/pidproxy.cjs /src/dist/svinit.node /opt/svinit/
# svinit's launcher records the soft descriptor limit before Node raises its own, so programs get
# the one the container was started with, as under supervisord (docs/programs.md).
RUN for t in svctl pidproxy; do printf '#!/bin/sh\nexec node /opt/svinit/%s.cjs "$@"\n' "$t" > /usr/local/bin/$t; chmod 755 /usr/local/bin/$t; done \
 && printf '#!/bin/sh\nexport SVINIT_NOFILE_SOFT="${SVINIT_NOFILE_SOFT:-$(ulimit -Sn)}"\nexec node /opt/svinit/svinit.cjs "$@"\n' > /usr/local/bin/svinit \
 && chmod 755 /usr/local/bin/svinit
COPY examples/supervisord.conf /etc/supervisord.conf
ENTRYPOINT ["svinit"]
CMD []
