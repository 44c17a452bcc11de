#!/usr/bin/env bash
# Makes what resources/cluster-secure/node{1,2,3}.toml read, in DIR (default ./tls): a CA
# (ca.pem, ca.key: keep the key somewhere safe), skiffctl's client certificate for the admin
# sockets (admin.pem, admin.key: CN=skiff-admin) and a certificate per node, signed by it and made
# out for the node's address (127.0.0.1 here; on three machines pass each machine's IP or DNS
# name: NODE1=10.0.0.1 NODE2=10.0.0.2 NODE3=10.0.0.3 make-certs.sh). Needs the openssl command.
#   resources/cluster-secure/make-certs.sh [DIR]
set -euo pipefail
dir=${1:-tls}
days=${DAYS:-365}
mkdir -p "$dir"
cd "$dir"
san() { [[ $1 =~ ^[0-9.]+$ ]] && echo "IP:$1" || echo "DNS:$1"; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days "$days" -subj "/CN=skiff-demo-ca" 2>/dev/null
for i in 1 2 3; do
  var="NODE$i"
  host=${!var:-127.0.0.1}
  openssl req -newkey rsa:2048 -nodes -keyout "node$i.key" -out "node$i.csr" -subj "/CN=skiff-node$i" 2>/dev/null
  echo "subjectAltName=$(san "$host")" > "node$i.ext"
  openssl x509 -req -in "node$i.csr" -CA ca.pem -CAkey ca.key -set_serial "$((1000 + i))" -days "$days" \
    -extfile "node$i.ext" -out "node$i.pem" 2>/dev/null
  rm -f "node$i.csr" "node$i.ext"
  chmod 600 "node$i.key"
  echo "node $i: $(pwd)/node$i.pem for $host"
done
# skiffctl's client certificate for the admin sockets (admin.ssl.principals = "CN=skiff-admin").
openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/CN=skiff-admin" 2>/dev/null
echo "extendedKeyUsage=clientAuth" > admin.ext
openssl x509 -req -in admin.csr -CA ca.pem -CAkey ca.key -set_serial 2000 -days "$days" -extfile admin.ext \
  -out admin.pem 2>/dev/null
rm -f admin.csr admin.ext
chmod 600 admin.key
echo "skiffctl: $(pwd)/admin.pem (CN=skiff-admin)"
chmod 600 ca.key
