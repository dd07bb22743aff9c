#!/bin/sh
# Runs inside the image's root filesystem after the packages and rootfs/ are in place: what the
# official images do at build time (run directories, a PostgreSQL data directory, log targets).
set -eu
# Apache's server-wide error log, like the vhost's, goes to the container's stderr.
sed -i 's#^ErrorLog .*#ErrorLog /dev/stderr#' /etc/apache2/apache2.conf
echo 'ServerName localhost' >>/etc/apache2/apache2.conf
# Run directories that an init script or tmpfiles.d would make.
mkdir -p /run/sshd /run/php /run/apache2 /run/lock/apache2 /run/postgresql
chmod 0755 /run/sshd
chown postgres:postgres /run/postgresql
chmod 2775 /run/postgresql
# The official postgres image's layout: a data directory of its own, not Debian's cluster.
pg_dropcluster 15 main 2>/dev/null || true
mkdir -p /var/lib/postgresql/data
chown postgres:postgres /var/lib/postgresql/data
su postgres -s /bin/sh -c '/usr/lib/postgresql/15/bin/initdb -D /var/lib/postgresql/data --auth=trust -U postgres' >/dev/null
mkdir -p /var/lib/redis && chown redis:redis /var/lib/redis
test -s /etc/ssh/ssh_host_ed25519_key || ssh-keygen -A
