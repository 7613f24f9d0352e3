#!/usr/bin/env bash
# Builds the repository's Dockerfile with podman and proves the image works, then removes
# everything it started (images stay cached). Run as root from anywhere in the checkout:
#
#   tools/container-check.sh [--rebuild-standins] [--no-cache]
#
#   --rebuild-standins  rebuild the local stand-in base images even when cached ones match
#   --no-cache          build the project image without podman's layer cache (a cold project build)
#
# Environment (all optional): FINSIGHT_PODMAN_RUNTIME (runc), FINSIGHT_IMAGE (localhost/finsight:check),
# FINSIGHT_PULL (1; 0 = never try a registry), FINSIGHT_POSTGRES (auto | image | host),
# FINSIGHT_REDIS (auto | image | host), REDIS_SERVER (redis-server),
# FINSIGHT_HOST_DOTNET (/usr/share/dotnet), FINSIGHT_DEBIAN_MIRROR (http://deb.debian.org/debian),
# PG_BIN (/usr/lib/postgresql/15/bin), FINSIGHT_BUILD_CA_BUNDLE and FINSIGHT_NUGET_CONFIG (auto;
# empty = do not mount), FINSIGHT_STARTUP_TIMEOUT (240 s).
#
# 1. Base images. The Dockerfile's FROM images are used when present or pullable. Where no registry
#    answers, stand-ins are built under the exact same names: Debian 12 from debootstrap plus this
#    machine's .NET (the aspnet stand-in gets only the runtime and the ASP.NET Core shared framework),
#    with the user "app" (uid 1654) and ENV APP_UID, ASPNETCORE_HTTP_PORTS=8080 that the real images
#    define. They are labelled org.finsight.standin.key and reused while that key matches.
# 2. The image, from the unchanged Dockerfile, in docker format (OCI images drop HEALTHCHECK). When
#    this machine trusts certificate authorities of its own (a TLS-intercepting proxy in front of
#    NuGet, npm and Debian), its CA bundle is bind-mounted into the build's RUN steps, and so is its
#    NuGet.Config; bind mounts never end up in an image layer. Proxy variables pass through (podman's
#    default).
# 3. PostgreSQL: the compose file's db image if present or pullable, else a throwaway cluster from
#    the host's PostgreSQL binaries on the podman bridge, set up as that image would be
#    (POSTGRES_USER as superuser with POSTGRES_PASSWORD, POSTGRES_DB).
# 3b. Redis: the compose file's redis image if present or pullable, else the host's redis-server on
#    the podman bridge, started with the compose service's command line.
# 4. The app container with docker-compose.yml's app settings (environment, port, volumes; the
#    signing key and database password generated here), then the checks printed below.
set -Eeuo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runtime=${FINSIGHT_PODMAN_RUNTIME:-runc}
image=${FINSIGHT_IMAGE:-localhost/finsight:check}
try_pull=${FINSIGHT_PULL:-1}
postgres_mode=${FINSIGHT_POSTGRES:-auto}
redis_mode=${FINSIGHT_REDIS:-auto}
redis_server=${REDIS_SERVER:-redis-server}
host_dotnet=${FINSIGHT_HOST_DOTNET:-/usr/share/dotnet}
debian_mirror=${FINSIGHT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
startup_timeout=${FINSIGHT_STARTUP_TIMEOUT:-240}
rebuild_standins=false
no_cache=()
for arg in "$@"; do
  case $arg in
    --rebuild-standins) rebuild_standins=true ;;
    --no-cache) no_cache=(--no-cache) ;;
    -h|--help) sed -n '2,/^set -E/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "container-check: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

# Progress goes to fd 3 and failures to fd 4 (the terminal), also from inside a check whose own
# output is captured.
exec 3>&1 4>&2
say() { printf '\n==> %s\n' "$*" >&3; }
note() { printf '    %s\n' "$*" >&3; }
die() { printf '\ncontainer-check: FAILED: %s\n' "$*" >&4; exit 1; }
now_ms() { date +%s%3N; }
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
podman() { command podman --runtime "$runtime" "$@"; }

# ---------------------------------------------------------------------------------------------
# Preconditions

[ "$(id -u)" -eq 0 ] || die "run as root (rootful podman; initdb runs as the postgres user): sudo $0"
for tool in podman "$runtime" curl jq openssl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install -y podman runc curl jq openssl python3)"
done
python3 -c 'import yaml' 2>/dev/null || die "python3 cannot import yaml (Debian: apt-get install -y python3-yaml)"
[ -f "$root/Dockerfile" ] && [ -f "$root/docker-compose.yml" ] || die "no Dockerfile/docker-compose.yml in $root"

work=$(mktemp -d /tmp/finsight-container-check.XXXXXX)
chmod 700 "$work"
run_id=$(basename "$work" | cut -d. -f2 | tr '[:upper:]' '[:lower:]')
app_ctr=finsight-check-app-$run_id
sqlite_ctr=finsight-check-sqlite-$run_id
pg_ctr=finsight-check-db-$run_id
redis_ctr=finsight-check-redis-$run_id
redis_pid=""
pg_dir=""
created_volumes=()

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  exec 1>&3 2>&4
  echo
  echo "==> Cleaning up"
  podman rm -f -v -t 10 "$app_ctr" >/dev/null 2>&1
  podman rm -f -v -t 10 "$sqlite_ctr" >/dev/null 2>&1
  podman rm -f -v -t 10 "$pg_ctr" >/dev/null 2>&1
  podman rm -f -v -t 10 "$redis_ctr" >/dev/null 2>&1
  [ -n "$redis_pid" ] && kill "$redis_pid" >/dev/null 2>&1
  if [ -n "$pg_dir" ] && [ -d "$pg_dir" ]; then
    [ -f "$pg_dir/data/postmaster.pid" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1
    rm -rf "$pg_dir"
  fi
  for volume in "${created_volumes[@]}"; do podman volume rm -f "$volume" >/dev/null 2>&1; done
  rm -rf "$work"
  echo "    removed the containers, volumes, PostgreSQL cluster, Redis server and temporary files (images stay cached)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# docker-compose.yml: the settings this script runs with, interpolated as compose would with only
# the two secrets set (everything else takes the file's defaults). Anything the script does not
# reproduce is refused, so the compose file and this check cannot drift apart silently.

postgres_password=$(openssl rand -hex 24)
signing_key=$(openssl rand -base64 48)
env -i PATH="$PATH" POSTGRES_PASSWORD="$postgres_password" AUTH_SIGNING_KEY="$signing_key" \
  python3 - "$root/docker-compose.yml" > "$work/compose.json" <<'PY' || die "docker-compose.yml: see the message above"
import json, os, re, sys, yaml

doc = yaml.safe_load(open(sys.argv[1]))
token = re.compile(r'\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\})')

def interpolate(text):
    def one(m):
        if m.group(1):
            return '$'
        name, op, arg = m.group(2), m.group(3), m.group(4)
        value = os.environ.get(name)
        unset = value is None or (value == '' and op and op.startswith(':'))
        if op in (':-', '-'):
            return arg if unset else value
        if op in (':?', '?'):
            if unset:
                sys.exit(f'docker-compose.yml needs {name}: {arg}')
            return value
        return value or ''
    return token.sub(one, str(text))

def environment(service):
    env = service.get('environment') or {}
    if isinstance(env, list):
        env = dict(item.split('=', 1) if '=' in item else (item, None) for item in env)
    result = {}
    for key, value in env.items():
        if value is None:
            sys.exit(f'docker-compose.yml: {key} has no value; this check passes only explicit values')
        result[key] = interpolate('true' if value is True else 'false' if value is False else value)
    return result

def fail(message):
    sys.exit('docker-compose.yml: ' + message + ' (tools/container-check.sh does not reproduce it; update both)')

services = doc.get('services') or {}
if set(services) != {'app', 'db', 'redis'}:
    fail(f'services are {sorted(services)}, expected app, db and redis')
app, db, redis = services['app'], services['db'], services['redis']
for key in redis:
    if key not in ('image', 'restart', 'command'):
        fail(f'redis.{key}')
command = redis.get('command')
if not (isinstance(command, list) and command and command[0] == 'redis-server'):
    fail('redis.command must be a list starting with redis-server')
for key in app:
    if key not in ('build', 'image', 'restart', 'depends_on', 'ports', 'environment', 'volumes'):
        fail(f'app.{key}')
for key in db:
    if key not in ('image', 'restart', 'environment', 'volumes', 'healthcheck'):
        fail(f'db.{key}')

ports = []
for port in app.get('ports') or []:
    parts = interpolate(port).split(':')
    if len(parts) != 2:
        fail(f'app port {port!r} (expected HOST:CONTAINER)')
    ports.append({'host': parts[0], 'container': int(parts[1])})

def volumes(service, name):
    result = []
    for volume in service.get('volumes') or []:
        parts = interpolate(volume).split(':')
        if len(parts) not in (2, 3) or parts[0].startswith(('.', '/', '~')):
            fail(f'{name} volume {volume!r} (only named volumes are reproduced)')
        result.append({'name': parts[0], 'target': parts[1], 'mode': parts[2] if len(parts) == 3 else 'rw'})
    return result

health = db.get('healthcheck') or {}
test = health.get('test')
if not (isinstance(test, list) and test and test[0] == 'CMD-SHELL' and len(test) == 2):
    fail('db.healthcheck.test must be ["CMD-SHELL", "..."]')
if (app.get('depends_on') or {}).get('db', {}).get('condition') != 'service_healthy':
    fail('app.depends_on.db.condition must be service_healthy')
if (app.get('depends_on') or {}).get('redis', {}).get('condition') != 'service_started':
    fail('app.depends_on.redis.condition must be service_started')

json.dump({
    'app': {'build': app.get('build'), 'env': environment(app), 'ports': ports, 'volumes': volumes(app, 'app')},
    'db': {'image': interpolate(db['image']), 'env': environment(db), 'volumes': volumes(db, 'db'),
           'healthcheck': interpolate(test[1])},
    'redis': {'image': interpolate(redis['image']), 'command': [interpolate(c) for c in command]},
}, sys.stdout)
PY
compose() { jq -r "$@" "$work/compose.json"; }
[ "$(compose '.app.build')" = "." ] || die "docker-compose.yml: app.build must be '.' (the Dockerfile this script builds)"
[ "$(compose '.app.ports | length')" = 1 ] || die "docker-compose.yml: the app publishes exactly one port"
app_container_port=$(compose '.app.ports[0].container')
db_image=$(compose '.db.image')
# Docker's reading of a short name (podman would otherwise consult its search registries).
[[ ${db_image%%/*} == *.* || ${db_image%%/*} == localhost* ]] || { [[ $db_image == */* ]] && db_image=docker.io/$db_image || db_image=docker.io/library/$db_image; }
db_user=$(compose '.db.env.POSTGRES_USER')
db_name=$(compose '.db.env.POSTGRES_DB')
[ "$(compose '.db.env.POSTGRES_PASSWORD')" = "$postgres_password" ] || die "docker-compose.yml: db.POSTGRES_PASSWORD must come from \${POSTGRES_PASSWORD}"
connection=$(compose '.app.env.ConnectionStrings__Postgres')
[[ $connection == *"Host=db;Port=5432;Database=$db_name;Username=$db_user;Password=$postgres_password"* ]] \
  || die "docker-compose.yml: app.ConnectionStrings__Postgres must be Host=db;Port=5432;Database=$db_name;Username=$db_user;Password=\${POSTGRES_PASSWORD}"
[ "$(compose '.app.env.ConnectionStrings__Redis')" = "redis:6379" ] || die "docker-compose.yml: app.ConnectionStrings__Redis must be redis:6379"
redis_image=$(compose '.redis.image')
[[ ${redis_image%%/*} == *.* || ${redis_image%%/*} == localhost* ]] || { [[ $redis_image == */* ]] && redis_image=docker.io/$redis_image || redis_image=docker.io/library/$redis_image; }
mapfile -t redis_command < <(compose '.redis.command[]')
[ "$(compose '.app.env.Auth__SigningKey')" = "$signing_key" ] || die "docker-compose.yml: app.Auth__SigningKey must come from \${AUTH_SIGNING_KEY}"

# ---------------------------------------------------------------------------------------------
# Base images: real ones when present or pullable, stand-ins otherwise.

is_standin() { [ -n "$(podman image inspect --format '{{index .Labels "org.finsight.standin.key"}}' "$1" 2>/dev/null)" ]; }
standin_key_of() { podman image inspect --format '{{index .Labels "org.finsight.standin.key"}}' "$1" 2>/dev/null || true; }

# Real image if cached or pullable (where it came from in $origin); fails when neither.
real_image() {
  local ref=$1
  if podman image exists "$ref" && ! is_standin "$ref"; then origin="real image, cached"; return 0; fi
  if [ "$try_pull" = 1 ] && timeout 900 "$(command -v podman)" pull -q "$ref" >"$work/pull.log" 2>&1; then
    origin="real image, pulled"; return 0
  fi
  return 1
}

debian_image=localhost/finsight-standin/debian:12
debian_packages=ca-certificates,libicu72,libssl3,zlib1g,tzdata,libstdc++6,libgcc-s1
[ -x "$host_dotnet/dotnet" ] || host_dotnet_missing=true
dotnet_fingerprint=$(cd "$host_dotnet" 2>/dev/null && ls -d sdk/* shared/*/* host/fxr/* 2>/dev/null | tr '\n' ' ' || true)
sdk_version=$(cd "$host_dotnet/sdk" 2>/dev/null && ls | sort -V | tail -1 || true)
runtime_version=$(cd "$host_dotnet/shared/Microsoft.NETCore.App" 2>/dev/null && ls | sort -V | tail -1 || true)
aspnet_version=$(cd "$host_dotnet/shared/Microsoft.AspNetCore.App" 2>/dev/null && ls | sort -V | tail -1 || true)

# The parts of the real images' runtime-deps layer the Dockerfile relies on.
runtime_deps_recipe() {
  cat <<EOF
FROM $debian_image
ENV APP_UID=1654 \\
    ASPNETCORE_HTTP_PORTS=8080 \\
    DOTNET_RUNNING_IN_CONTAINER=true
RUN groupadd --gid=\$APP_UID app \\
    && useradd --no-log-init --uid=\$APP_UID --gid=\$APP_UID --create-home app
EOF
}

aspnet_recipe() {
  runtime_deps_recipe
  cat <<EOF
ENV DOTNET_VERSION=$runtime_version \\
    ASPNET_VERSION=$aspnet_version
COPY dotnet LICENSE.txt ThirdPartyNotices.txt /usr/share/dotnet/
COPY host/ /usr/share/dotnet/host/
COPY shared/Microsoft.NETCore.App/ /usr/share/dotnet/shared/Microsoft.NETCore.App/
COPY shared/Microsoft.AspNetCore.App/ /usr/share/dotnet/shared/Microsoft.AspNetCore.App/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && dotnet --list-runtimes
EOF
}

sdk_recipe() {
  runtime_deps_recipe
  cat <<EOF
ENV DOTNET_VERSION=$runtime_version \\
    ASPNET_VERSION=$aspnet_version \\
    DOTNET_SDK_VERSION=$sdk_version \\
    DOTNET_GENERATE_ASPNET_CERTIFICATE=false \\
    DOTNET_NOLOGO=true \\
    DOTNET_USE_POLLING_FILE_WATCHER=true \\
    NUGET_XMLDOC_MODE=skip
COPY . /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && dotnet --version
EOF
}

sha() { sha256sum | cut -c1-16; }
debian_key=$(printf '%s|%s|%s|v2' "$debian_packages" "$debian_mirror" bookworm | sha)

build_debian_base() {
  command -v debootstrap >/dev/null || die "debootstrap is not installed (Debian: apt-get install -y debootstrap)"
  local rootfs="$work/rootfs"
  note "debootstrap Debian 12 (minbase + $debian_packages) from $debian_mirror; takes minutes"
  debootstrap --variant=minbase --include="$debian_packages" bookworm "$rootfs" "$debian_mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # What the official Debian/Ubuntu base images configure: apt keeps no package caches (the
  # Dockerfile's `rm -rf /var/lib/apt/lists/*` relies on that for the rest), and, as in Ubuntu's
  # minimized images that .NET 10's images build on, dpkg skips man pages, docs and translations.
  cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/excludes" <<'EOF'
path-exclude=/usr/share/man/*
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/locale/*/LC_MESSAGES/*.mo
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
EOF
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/* \
         "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/tmp/* "$rootfs"/var/log/*.log
  find "$rootfs/usr/share/locale" -name '*.mo' -delete
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $debian_mirror bookworm main
deb $debian_mirror bookworm-updates main
deb ${debian_mirror%/debian}/debian-security bookworm-security main
EOF
  tar -C "$rootfs" --numeric-owner -cf - . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    --change "LABEL org.finsight.standin.key=$debian_key" - "$debian_image" >"$work/import.log" 2>&1 \
    || { cat "$work/import.log" >&2; die "podman import of the Debian root filesystem failed"; }
  rm -rf "$rootfs"
}

# Builds (or reuses) the stand-in for one FROM image of the Dockerfile.
standin() {
  local ref=$1 kind=$2 recipe key
  [ -z "${host_dotnet_missing:-}" ] || die "$ref cannot be pulled and $host_dotnet/dotnet (the host's .NET SDK) is missing for a stand-in"
  recipe=$("${kind}_recipe")
  key=$(printf '%s|%s|%s' "$debian_key" "$dotnet_fingerprint" "$recipe" | sha)
  if ! $rebuild_standins && [ "$(standin_key_of "$ref")" = "$key" ]; then origin="stand-in, cached"; return; fi
  if [ -z "${debian_built:-}" ] && { $rebuild_standins || [ "$(standin_key_of "$debian_image")" != "$debian_key" ]; }; then
    build_debian_base; debian_built=1
  fi
  printf '%s\nLABEL org.finsight.standin.key=%s\n' "$recipe" "$key" >"$work/$kind.Containerfile"
  podman build --network=host --format docker --pull=never -f "$work/$kind.Containerfile" -t "$ref" "$host_dotnet" \
    >"$work/$kind-standin.log" 2>&1 || { tail -30 "$work/$kind-standin.log" >&2; die "building the $ref stand-in failed (log above)"; }
  origin="stand-in, built"
}

say "Base images (from the Dockerfile's FROM lines)"
bases_started=$(now_ms)
mapfile -t bases < <(awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' "$root/Dockerfile" | awk '!seen[$0]++')
standins_used=false
aspnet_base=""
for ref in "${bases[@]}"; do
  case $ref in
    */dotnet/sdk:*) kind=sdk ;;
    */dotnet/aspnet:*) kind=aspnet; aspnet_base=$ref ;;
    *) die "the Dockerfile builds FROM $ref; this script has stand-ins only for .NET's sdk and aspnet images" ;;
  esac
  if ! real_image "$ref"; then
    note "$ref: not cached, and no registry answered (podman pull: $(tail -1 "$work/pull.log" 2>/dev/null | sed 's/^.*: //' | cut -c1-60))"
    standin "$ref" "$kind"; standins_used=true
  fi
  note "$ref: $origin"
done
base_seconds=$(seconds_since "$bases_started")
note "base images ready in ${base_seconds}s"

# Runs a trivial container; the usual failure on restricted hosts is the default ulimits.
if ! podman run --rm --network=none "${aspnet_base:-${bases[0]}}" true >"$work/preflight.log" 2>&1; then
  cat "$work/preflight.log" >&2
  grep -q rlimit "$work/preflight.log" && die "podman cannot set its default ulimits here: add 'default_ulimits = []' under [containers] in /etc/containers/containers.conf"
  die "podman cannot run a container with runtime $runtime (output above)"
fi

# ---------------------------------------------------------------------------------------------
# The image

say "Building $image from the Dockerfile"
build_mounts=()
ca_bundle=${FINSIGHT_BUILD_CA_BUNDLE-auto}
if [ "$ca_bundle" = auto ]; then
  ca_bundle=""
  # Certificate authorities added on this machine (e.g. a TLS-intercepting egress proxy): the
  # build's NuGet restore, npm ci and apt need them as much as the host does.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null || compgen -G '/usr/local/share/ca-certificates/*/*.crt' >/dev/null; then
    ca_bundle=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
  fi
fi
if [ -n "$ca_bundle" ]; then
  build_mounts+=(--volume "$ca_bundle:/etc/ssl/certs/ca-certificates.crt:ro")
  note "mounting the host's CA bundle $ca_bundle into the RUN steps (this machine trusts CAs of its own)"
fi
nuget_config=${FINSIGHT_NUGET_CONFIG-auto}
[ "$nuget_config" = auto ] && { nuget_config=$HOME/.nuget/NuGet/NuGet.Config; [ -f "$nuget_config" ] || nuget_config=""; }
if [ -n "$nuget_config" ]; then
  build_mounts+=(--volume "$nuget_config:/root/.nuget/NuGet/NuGet.Config:ro")
  note "mounting the host's NuGet.Config ($nuget_config; sources: $(grep -o 'value="[^"]*"' "$nuget_config" | cut -d'"' -f2 | paste -sd' '))"
fi
for proxy in http_proxy https_proxy HTTP_PROXY HTTPS_PROXY no_proxy NO_PROXY; do
  [ -n "${!proxy:-}" ] && note "passing $proxy through"
done
previous_image=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
build_started=$(now_ms)
if ! podman build --network=host --format docker --pull=never "${no_cache[@]}" "${build_mounts[@]}" \
      -f "$root/Dockerfile" -t "$image" "$root" >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  die "podman build failed (last 40 lines above)"
fi
build_seconds=$(seconds_since "$build_started")
cached_steps=$(grep -c -- '--> Using cache' "$work/build.log" || true)
# The image this build replaced is of no further use (its build-stage layers stay until podman image prune).
if [ -n "$previous_image" ] && [ "$previous_image" != "$(podman image inspect --format '{{.Id}}' "$image")" ]; then
  podman rmi "$previous_image" >/dev/null 2>&1 || true
fi
note "built in ${build_seconds}s ($cached_steps steps from the layer cache)"
image_bytes=$(podman image inspect --format '{{.Size}}' "$image")
image_mb=$(awk -v b="$image_bytes" 'BEGIN { printf "%.0f", b / 1000000 }')
base_mb=$(awk -v b="$(podman image inspect --format '{{.Size}}' "$aspnet_base")" 'BEGIN { printf "%.0f", b / 1000000 }')
note "image size ${image_mb} MB (its base $aspnet_base: ${base_mb} MB)"

# ---------------------------------------------------------------------------------------------
# PostgreSQL

# free_port ADDRESS...: a TCP port free on every address given, $prefer_port if that one is.
free_port() {
  python3 - "${prefer_port:-0}" "$@" <<'PY'
import socket, sys

def free(port, hosts):
    sockets = []
    try:
        for host in hosts:
            s = socket.socket()
            s.bind((host, port))
            sockets.append(s)
            port = s.getsockname()[1]
        return port
    except OSError:
        return None
    finally:
        for s in sockets:
            s.close()

preferred, hosts = int(sys.argv[1]), sys.argv[2:]
port = free(preferred, hosts) if preferred else None
while not port:
    port = free(0, hosts)
print(port)
PY
}

say "PostgreSQL"
db_healthcheck=$(compose '.db.healthcheck')
case $postgres_mode in
  auto) if real_image "$db_image"; then postgres_mode=image; else postgres_mode=host; fi ;;
  image) real_image "$db_image" || die "FINSIGHT_POSTGRES=image but $db_image is neither cached nor pullable" ;;
  host) ;;
  *) die "FINSIGHT_POSTGRES must be auto, image or host" ;;
esac
db_port=5432
if [ "$postgres_mode" = image ]; then
  volume_args=()
  while read -r name target mode; do
    volume="finsight-check-$run_id-$name"; podman volume create "$volume" >/dev/null; created_volumes+=("$volume")
    volume_args+=(--volume "$volume:$target:$mode")
  done < <(compose '.db.volumes[] | "\(.name) \(.target) \(.mode)"')
  compose '.db.env | to_entries[] | "\(.key)=\(.value)"' >"$work/db.env"
  podman run -d --name "$pg_ctr" --env-file "$work/db.env" "${volume_args[@]}" "$db_image" >/dev/null
  db_host=$(podman inspect --format '{{.NetworkSettings.IPAddress}}' "$pg_ctr")
  db_ready() { podman exec "$pg_ctr" sh -c "$db_healthcheck" >/dev/null 2>&1; }
  note "$db_image container $pg_ctr at $db_host:5432, data in a named volume"
else
  [ -x "$pg_bin/initdb" ] || die "$db_image cannot be pulled and there are no PostgreSQL server binaries in $pg_bin (Debian: apt-get install -y postgresql-15, or set PG_BIN)"
  # The app container reaches the host through the podman bridge's gateway address.
  db_host=$(podman network inspect podman --format '{{range .Subnets}}{{.Gateway}}{{end}}')
  subnet=$(podman network inspect podman --format '{{range .Subnets}}{{.Subnet}}{{end}}')
  [ -n "$db_host" ] && [ -n "$subnet" ] || die "cannot read the podman network's gateway (podman network inspect podman)"
  # Also on loopback, where compose's healthcheck (pg_isready -h 127.0.0.1) looks for it.
  db_port=$(prefer_port=5432 free_port "$db_host" 127.0.0.1)
  pg_dir=$(mktemp -d /tmp/finsight-container-check-pg.XXXXXX)
  printf '%s\n' "$postgres_password" >"$pg_dir/password"
  chown -R postgres:postgres "$pg_dir"; chmod 700 "$pg_dir"; chmod 600 "$pg_dir/password"
  # What the postgres image's entrypoint does: POSTGRES_USER is the superuser, with a password for TCP.
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -U "$db_user" --pwfile="$pg_dir/password" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; die "initdb failed"; }
  echo "host all all $subnet scram-sha-256" >>"$pg_dir/data/pg_hba.conf"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $db_port -c listen_addresses=127.0.0.1,$db_host -k $pg_dir -c fsync=off" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
  runuser -u postgres -- "$pg_bin/createdb" -h "$pg_dir" -p "$db_port" -U "$db_user" "$db_name"
  db_ready() { PGHOST=$db_host PGPORT=$db_port PATH="$pg_bin:$PATH" sh -c "$db_healthcheck" >/dev/null 2>&1; }
  note "$db_image cannot be pulled: throwaway cluster from $pg_bin on $db_host:$db_port (the podman bridge), database $db_name owned by $db_user"
fi
waited=0
until db_ready; do
  [ "$waited" -lt 120 ] || die "PostgreSQL is not ready after 120 s (compose's db healthcheck: $db_healthcheck)"
  sleep 1; waited=$((waited + 1))
done
note "compose's db healthcheck passes: $db_healthcheck"

say "Redis"
case $redis_mode in
  auto) if real_image "$redis_image"; then redis_mode=image; else redis_mode=host; fi ;;
  image) real_image "$redis_image" || die "FINSIGHT_REDIS=image but $redis_image is neither cached nor pullable" ;;
  host) ;;
  *) die "FINSIGHT_REDIS must be auto, image or host" ;;
esac
redis_port=6379
if [ "$redis_mode" = image ]; then
  podman run -d --name "$redis_ctr" "$redis_image" "${redis_command[@]}" >/dev/null
  redis_host=$(podman inspect --format '{{.NetworkSettings.IPAddress}}' "$redis_ctr")
  note "$redis_image container $redis_ctr at $redis_host:6379: ${redis_command[*]}"
else
  command -v "$redis_server" >/dev/null || die "$redis_image cannot be pulled and there is no $redis_server here (Debian: apt-get install -y redis-server)"
  redis_host=$(podman network inspect podman --format '{{range .Subnets}}{{.Gateway}}{{end}}')
  redis_port=$(prefer_port=6379 free_port "$redis_host")
  # The compose service's own arguments, bound to the podman bridge only.
  "$redis_server" "${redis_command[@]:1}" --port "$redis_port" --bind "$redis_host" --daemonize no --protected-mode no \
    >"$work/redis.log" 2>&1 &
  redis_pid=$!
  note "$redis_image cannot be pulled: the host's $redis_server on $redis_host:$redis_port (the podman bridge): ${redis_command[*]}"
fi
waited=0
until (exec 5<>"/dev/tcp/$redis_host/$redis_port") 2>/dev/null; do
  [ "$waited" -lt 30 ] || { cat "$work/redis.log" >&2 2>/dev/null; die "Redis does not listen on $redis_host:$redis_port after 30 s"; }
  sleep 1; waited=$((waited + 1))
done

# ---------------------------------------------------------------------------------------------
# The app container, as compose would run it

say "Starting the app container"
app_port=$(free_port 127.0.0.1)
compose --arg port "$db_port" --arg redis_port "$redis_port" '.app.env | to_entries[]
  | if .key == "ConnectionStrings__Postgres" then .value |= sub("Port=5432"; "Port=\($port)") else . end
  | if .key == "ConnectionStrings__Redis" then .value |= sub(":6379$"; ":\($redis_port)") else . end
  | "\(.key)=\(.value)"' >"$work/app.env"
chmod 600 "$work/app.env"
app_volume_args=()
while read -r name target mode; do
  [ -n "$name" ] || continue
  volume="finsight-check-$run_id-$name"; podman volume create "$volume" >/dev/null; created_volumes+=("$volume")
  app_volume_args+=(--volume "$volume:$target:$mode")
done < <(compose '.app.volumes[] | "\(.name) \(.target) \(.mode)"')
podman create --name "$app_ctr" --env-file "$work/app.env" --add-host "db:$db_host" --add-host "redis:$redis_host" \
  --publish "127.0.0.1:$app_port:$app_container_port" "${app_volume_args[@]}" "$image" >/dev/null
note "environment from docker-compose.yml: $(cut -d= -f1 "$work/app.env" | paste -sd' ')"
[ "$db_port" = 5432 ] || note "(ConnectionStrings__Postgres with Port=$db_port instead of 5432: 5432 is taken here)"
[ "$redis_port" = 6379 ] || note "(ConnectionStrings__Redis with port $redis_port instead of 6379: 6379 is taken here)"
note "port 127.0.0.1:$app_port -> $app_container_port, db -> $db_host"

base_url="http://127.0.0.1:$app_port"
# The last log lines of a container, one readable line per JSON entry.
log_tail() {
  podman logs --tail "${2:-40}" "$1" 2>&1 | jq -R -r '(fromjson? | "\(.Timestamp) \(.LogLevel) \(.Category): \(.Message)\(.Exception // "" | if . == "" then "" else "\n    " + (split("\n")[0]) end)") // .'
}
# wait_healthy STARTED_MS CONTAINER URL: until URL answers 2xx, the container dies, or the timeout.
wait_healthy() {
  local started=$1 ctr=$2 url=$3
  while :; do
    if curl -fsS -m 2 -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if [ "$(podman inspect --format '{{.State.Running}}' "$ctr")" != true ]; then
      log_tail "$ctr" >&4; die "container $ctr exited (last log lines above)"
    fi
    if [ $(( $(now_ms) - started )) -gt $((startup_timeout * 1000)) ]; then
      log_tail "$ctr" >&4; die "no answer from $url after ${startup_timeout}s (last log lines above)"
    fi
    sleep 0.1
  done
}
# podman schedules HEALTHCHECK runs with systemd timers; without systemd it says so on every start
# and the check below runs the HEALTHCHECK itself.
start_app() { podman start "$1" >/dev/null 2>"$work/start.err" || { cat "$work/start.err" >&4; die "podman start $1 failed"; }; }
started=$(now_ms)
start_app "$app_ctr"
wait_healthy "$started" "$app_ctr" "$base_url/health"
grep -q 'systemd' "$work/start.err" && note "no systemd here to schedule HEALTHCHECK runs: the checks run it with podman healthcheck run"
startup_seconds=$(seconds_since "$started")
note "start to /health 200: ${startup_seconds}s (first start: includes migrating the empty database)"

# ---------------------------------------------------------------------------------------------
# Checks

failures=()
passes=0
token=""
restart_seconds=""
sqlite_seconds=""
check() {
  local name=$1 output
  shift
  # Not in a subshell: checks leave values (the token, timings) for later ones.
  if "$@" >"$work/check.out" 2>&1; then
    output=$(cat "$work/check.out")
    printf '  ok    %s%s\n' "$name" "${output:+ ($output)}"; passes=$((passes + 1))
  else
    output=$(cat "$work/check.out")
    printf '  FAIL  %s: %s\n' "$name" "${output:-no details}"; failures+=("$name")
  fi
}

# request METHOD PATH [JSON] [TOKEN]: the status in $status, the body in $work/body.
request() {
  local args=(-sS -m 30 -o "$work/body" -w '%{http_code}' -X "$1" "$base_url$2")
  [ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data "$3")
  [ -n "${4:-}" ] && args+=(-H "Authorization: Bearer $4")
  status=$(curl "${args[@]}" 2>"$work/curl.err") || status="000 ($(cat "$work/curl.err"))"
}
body() { jq -r "$1" "$work/body" 2>/dev/null; }
expect() { # expect STATUS JQ-FILTER... : the status, and every filter true on the body
  local want=$1; shift
  [ "$status" = "$want" ] || { echo "HTTP $status, expected $want: $(head -c 300 "$work/body")"; return 1; }
  for filter in "$@"; do
    [ "$(body "$filter")" = true ] || { echo "body fails $filter: $(head -c 300 "$work/body")"; return 1; }
  done
}

check_health() { request GET /health; expect 200 '.status == "Healthy"'; }
check_ready() { request GET /health/ready; expect 200 '.status == "Healthy"' '.checks.database == "Healthy"' '.checks.redis == "Healthy"'; }
# In Production the API docs are not served (issue #12); Docs__Enabled=true would serve them.
check_docs() {
  local path code
  for path in /docs /openapi/v1.json; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -m 30 "$base_url$path")
    [[ $code == 404 ]] || { echo "GET $path is $code; Production must not serve it"; return 1; }
  done
  echo "/docs and /openapi/v1.json are not served in Production"
}
suffix=$(openssl rand -hex 4)
user_name="check_$suffix"; user_email="check_$suffix@example.com"; user_password=$(openssl rand -hex 12)
check_signup() {
  request POST /users/signup "{\"name\":\"Container Check\",\"username\":\"$user_name\",\"email\":\"$user_email\",\"password\":\"$user_password\"}"
  expect 201 ".username == \"$user_name\""
}
check_login() {
  request POST /users/login "{\"email\":\"$user_email\",\"password\":\"$user_password\"}"
  expect 200 '(.token_type | ascii_downcase) == "bearer"' '.access_token | length > 20' || return 1
  token=$(body .access_token)
  request POST /api/auth/login "{\"username\":\"$user_name\",\"password\":\"$user_password\"}"
  expect 200 '.access_token | length > 20'
}
check_wrong_password() { request POST /users/login "{\"email\":\"$user_email\",\"password\":\"not-the-password\"}"; expect 401; }
check_anonymous_dashboard() { request GET /api/dashboard/overview; expect 401; }
check_dashboard() {
  request POST /api/transactions "{\"type\":\"deposit\",\"amount\":10000,\"date\":\"$(date -u +%F)\"}" "$token"
  expect 201 || return 1
  request GET /api/dashboard/overview "" "$token"
  # The dashboard routes answer {"status": "success", "data": {...}} (README, "Dashboard routes").
  expect 200 '.status == "success"' '.data.cash == 10000' '.data.total_value == 10000' '.data.portfolio_name | length > 0' || return 1
  echo "a deposit of 10000 shows as cash and total value"
}
check_healthcheck() {
  local test state
  test=$(podman image inspect --format '{{json .HealthCheck}}' "$image")
  grep -q '/health' <<<"$test" || { echo "the image has no HEALTHCHECK on /health: $test"; return 1; }
  podman healthcheck run "$app_ctr" >"$work/hc.out" 2>&1 || { echo "podman healthcheck run: $(cat "$work/hc.out")"; return 1; }
  state=$(podman inspect --format '{{.State.Health.Status}}' "$app_ctr" 2>/dev/null || podman inspect --format '{{.State.Healthcheck.Status}}' "$app_ctr")
  [ "$state" = healthy ] || { echo "health status $state"; return 1; }
  echo "status $state"
}
check_user() {
  local configured uids name
  configured=$(podman image inspect --format '{{.Config.User}}' "$image")
  uids=$(podman exec "$app_ctr" awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/1/status)
  name=$(podman exec "$app_ctr" id -un)
  [ "$configured" = 1654 ] || { echo "image USER is '$configured', expected 1654"; return 1; }
  [ "$uids" = "1654 1654 1654 1654" ] || { echo "PID 1 runs with uids $uids"; return 1; }
  [ "$name" = app ] || { echo "uid 1654 is '$name', expected app"; return 1; }
  podman exec "$app_ctr" sh -c 'touch /data/.write-test && rm /data/.write-test' || { echo "/data is not writable by app"; return 1; }
  echo "PID 1 is '$(podman exec "$app_ctr" sh -c 'tr "\0" " " </proc/1/cmdline' | sed 's/ $//')' as uid 1654 (app); /data writable"
}
# Production logs JSON lines. Nothing Critical and no request answered 5xx; Error entries are
# listed (the first start logs one from EF: the migrations history table does not exist yet).
check_logs() {
  local lines entries critical server_errors errors
  podman logs "$app_ctr" >"$work/app.log" 2>&1
  lines=$(grep -c . "$work/app.log" || true)
  entries=$(jq -R -c 'fromjson? | select(.LogLevel)' "$work/app.log" | grep -c . || true)
  critical=$(jq -R -r 'fromjson? | select(.LogLevel == "Critical") | .Message' "$work/app.log" | head -3)
  server_errors=$(jq -R -r 'fromjson? | select(.Category == "FinSight.Requests" and (.State.StatusCode // 0) >= 500) | .Message' "$work/app.log" | head -3)
  errors=$(jq -R -r 'fromjson? | select(.LogLevel == "Error") | .Category' "$work/app.log" | sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')
  [ "$lines" -gt 0 ] && [ "$entries" = "$lines" ] || { echo "$entries of $lines log lines are JSON entries"; return 1; }
  [ -z "$critical" ] || { echo "Critical: $critical"; return 1; }
  [ -z "$server_errors" ] || { echo "5xx answers: $server_errors"; return 1; }
  echo "$lines JSON entries, no Critical, no 5xx; Error entries: ${errors:-none}"
}
check_restart() {
  local stopped started code
  stopped=$(now_ms)
  podman stop -t 30 "$app_ctr" >/dev/null 2>>"$work/podman.err"
  code=$(podman inspect --format '{{.State.ExitCode}}' "$app_ctr")
  stop_seconds=$(seconds_since "$stopped")
  [ "$code" = 0 ] || { echo "exit code $code after SIGTERM (expected a graceful 0)"; return 1; }
  started=$(now_ms)
  start_app "$app_ctr"
  wait_healthy "$started" "$app_ctr" "$base_url/health"
  restart_seconds=$(seconds_since "$started")
  request GET /users/me "" "$token"
  expect 200 ".username == \"$user_name\"" || return 1
  echo "graceful stop in ${stop_seconds}s, back in ${restart_seconds}s, the account and token still work"
}
# Without a connection string the app keeps SQLite in the /data volume, as the Dockerfile's
# header shows for `docker run` on its own: a fresh named volume must be writable by app.
check_sqlite() {
  local port volume=finsight-check-$run_id-sqlite-data started owner
  port=$(free_port 127.0.0.1)
  podman volume create "$volume" >/dev/null; created_volumes+=("$volume")
  printf 'Auth__SigningKey=%s\n' "$signing_key" >"$work/sqlite.env"
  podman create --name "$sqlite_ctr" --env-file "$work/sqlite.env" --publish "127.0.0.1:$port:$app_container_port" \
    --volume "$volume:/data" "$image" >/dev/null
  started=$(now_ms)
  start_app "$sqlite_ctr"
  wait_healthy "$started" "$sqlite_ctr" "http://127.0.0.1:$port/health/ready"
  sqlite_seconds=$(seconds_since "$started")
  owner=$(podman exec "$sqlite_ctr" stat -c '%u' /data/finsight.db 2>&1) || { echo "no /data/finsight.db: $owner"; return 1; }
  [ "$owner" = 1654 ] || { echo "/data/finsight.db belongs to uid $owner"; return 1; }
  podman rm -f -v -t 10 "$sqlite_ctr" >/dev/null 2>>"$work/podman.err"
  echo "ready in ${sqlite_seconds}s, /data/finsight.db owned by app in a named volume"
}

say "Checks against $base_url"
check "GET /health is 200 Healthy" check_health
check "GET /health/ready is 200 with the database and Redis Healthy" check_ready
check "GET /docs and /openapi/v1.json are 404 in Production" check_docs
check "POST /users/signup creates an account" check_signup
check "POST /users/login and /api/auth/login issue tokens" check_login
check "a wrong password is 401" check_wrong_password
check "the dashboard needs a token (401)" check_anonymous_dashboard
check "GET /api/dashboard/overview with the token" check_dashboard
check "the image's HEALTHCHECK reports healthy" check_healthcheck
check "the app runs as the non-root user app (1654)" check_user
check "logs are JSON lines, nothing Critical, no 5xx" check_logs
check "restart: graceful stop, same data" check_restart
check "SQLite mode: no connection string, database in the /data volume" check_sqlite

say "Summary"
note "image            $image, ${image_mb} MB (base $aspnet_base ${base_mb} MB; $($standins_used && echo 'local stand-ins' || echo 'real base images'))"
note "base images      ${base_seconds}s"
note "image build      ${build_seconds}s ($cached_steps steps cached)"
note "start-up         ${startup_seconds}s to /health 200 on the first start (migrations included), ${restart_seconds:-?}s on a restart"
note "PostgreSQL       $([ "$postgres_mode" = image ] && echo "$db_image container" || echo "host binaries in $pg_bin ($db_image not pullable)")"
note "Redis            $([ "$redis_mode" = image ] && echo "$redis_image container" || echo "the host's $redis_server ($redis_image not pullable)")"
note "machine load     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) on $(nproc) cores"
note "checks           $passes passed, ${#failures[@]} failed"
if [ "${#failures[@]}" -gt 0 ]; then
  log_tail "$app_ctr" 30 >&2 || true
  die "${#failures[@]} check(s) failed: ${failures[*]}"
fi
echo
echo "container-check: all checks passed"
