#!/usr/bin/env bash
# make-certs.sh DIR [NAME...]: a private CA for one ServiceHall installation and a server certificate signed by it.
# Idempotent: an existing CA is kept (Recorders pin it); the server certificate is re-issued when missing, when it
# expires within 30 days, or when the requested names changed. Keys are created with mode 600, never chmod'ed after.
# Names default to what the demo and the tests use: localhost, 127.0.0.1 and ::1.
set -euo pipefail
dir="$1"; shift
names=("$@"); ((${#names[@]})) || names=(localhost 127.0.0.1 ::1)

mkdir -p "$dir"
umask 077
ca_key="$dir/ca.key" ca_crt="$dir/ca.crt" key="$dir/server.key" crt="$dir/server.crt" want="$dir/server.names"

if [[ ! -f "$ca_key" || ! -f "$ca_crt" ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/O=ServiceHall/CN=ServiceHall installation CA $(date -u +%Y%m%d%H%M%S)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$ca_key" -out "$ca_crt" 2>/dev/null
  rm -f "$crt"
fi

san=""
for n in "${names[@]}"; do
  if [[ "$n" =~ ^[0-9.]+$ || "$n" == *:* ]]; then san+="IP:$n,"; else san+="DNS:$n,"; fi
done
san="${san%,}"

if [[ -f "$crt" && -f "$want" && "$(cat "$want")" == "$san" ]] && openssl x509 -checkend $((30 * 86400)) -noout -in "$crt" >/dev/null; then
  exit 0
fi

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -subj "/O=ServiceHall/CN=${names[0]}" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san" >"$work/ext"
openssl x509 -req -in "$work/server.csr" -CA "$ca_crt" -CAkey "$ca_key" -CAcreateserial -days 825 -sha256 \
  -extfile "$work/ext" -out "$work/server.crt" 2>/dev/null
mv "$work/server.key" "$key"
mv "$work/server.crt" "$crt"
echo "$san" >"$want"
chmod 644 "$ca_crt" "$crt"
