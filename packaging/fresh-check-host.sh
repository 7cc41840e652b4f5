# Sourced by fresh-check.sh: this machine's settings that the new root needs to reach Debian's
# mirror and the package registries, found where apt, pip and npm keep them (no host is named
# here). Uses $root, $suite, say and inside from fresh-check.sh, and fills carried_env.

apt_dir=${FRESH_CHECK_APT_DIR:-/etc/apt}  # another folder only for the tests

# Enabled apt sources of this machine as "URI SUITE COMPONENT..." lines (deb822 .sources files
# and one-line .list files).
apt_sources() {
  local file
  for file in "$apt_dir"/sources.list.d/*.sources; do
    [[ -f $file ]] || continue
    awk '
      function flush(   i, j, u, s) {
        if (types ~ /(^| )deb( |$)/ && enabled !~ /^(no|false)$/) {
          nu = split(uris, u, " "); ns = split(suites, s, " ")
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j], components
        }
        types = uris = suites = components = ""; enabled = "yes"
      }
      BEGIN { enabled = "yes" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { key = tolower($1); sub(/^[^:]*:[ \t]*/, "") }
      key == "types:" { types = $0 }
      key == "uris:" { uris = $0 }
      key == "suites:" { suites = $0 }
      key == "components:" { components = $0 }
      key == "enabled:" { enabled = tolower($0) }
      END { flush() }' "$file"
  done
  for file in "$apt_dir"/sources.list "$apt_dir"/sources.list.d/*.list; do
    [[ -f $file ]] || continue
    sed -E -n 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//p' "$file"
  done
}

# The Debian 12 sources for the root: this machine's entries for bookworm, bookworm-updates and
# bookworm-security with the main component.
debian_sources() {
  if [[ -n ${FRESH_CHECK_MIRROR:-} ]]; then
    echo "$FRESH_CHECK_MIRROR $suite main"
    return
  fi
  apt_sources | awk -v s="$suite" '
    ($2 == s || $2 == s "-updates" || $2 == s "-security") && / main( |$)/ && !seen[$0]++'
}

# The certificate authorities this machine trusts beyond the root's own (a proxy's or a
# company's), installed into the root the way a machine of its own would have them.
carry_certificates() {
  local host_bundle=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
  local root_bundle=$root/etc/ssl/certs/ca-certificates.crt
  if [[ ! -f $host_bundle || ! -f $root_bundle ]]; then
    say "no certificate bundle to compare ($host_bundle, or ca-certificates in the root)"
    return 0
  fi
  local dir=$root/usr/local/share/ca-certificates count
  mkdir -p "$dir"
  count=$(awk -v dir="$dir" '
    FNR == 1 { file++ }
    /-----BEGIN CERTIFICATE-----/ { cert = ""; inside = 1 }
    inside { cert = cert $0 "\n" }
    /-----END CERTIFICATE-----/ {
      inside = 0
      if (file == 1) { known[cert] = 1 }
      else if (!(cert in known)) {
        known[cert] = 1; n++
        out = sprintf("%s/fresh-check-carried-%02d.crt", dir, n); printf "%s", cert > out; close(out)
      }
    }
    END { print n + 0 }' "$root_bundle" "$host_bundle")
  inside "update-ca-certificates >/dev/null"
  say "certificate authorities carried into the root: $count"
}

copy_into_root() {  # copy_into_root HOST-FILE: unless the root has its own
  local to=$root$1
  [[ -e $to ]] && return 0
  mkdir -p "$(dirname "$to")"
  cp -p "$1" "$to"
}

exists_in_root() {  # a path or file:// URL that the root has
  local path=${1#file://}
  [[ -e $root$path ]]
}

# pip's and npm's configuration files, with the files they name (constraints, a CA file). A
# setting that names a folder of this machine (find-links = /opt/wheels, a file:// index) is
# left out: a new machine does not have it.
carry_configuration() {
  local file to line word path absent
  for file in /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" \
              "$HOME/.pip/pip.conf" /usr/etc/npmrc /etc/npmrc "$HOME/.npmrc"; do
    [[ -f $file ]] || continue
    to=$root${file/#$HOME//root}
    [[ -e $to ]] && continue
    for path in $(grep -oE '=[[:space:]]*/[^[:space:]]+' "$file" | sed -E 's/^=[[:space:]]*//'); do
      if [[ -f $path ]]; then copy_into_root "$path"; fi
    done
    mkdir -p "$(dirname "$to")"
    while IFS= read -r line || [[ -n $line ]]; do
      absent=""
      if [[ $line =~ ^[[:space:]]*[^#\;=[:space:]][^=]*=(.*)$ ]]; then
        for word in ${BASH_REMATCH[1]}; do
          if [[ $word == /* || $word == file://* ]] && ! exists_in_root "$word"; then
            absent=$word
          fi
        done
      fi
      if [[ -z $absent ]]; then
        printf '%s\n' "$line"
      else
        say "not carried from $file: ${line%%=*}(it names $absent, of this machine only)"
      fi
    done < "$file" > "$to"
    say "carried $file"
  done
  # The variables by which pip, npm, node, git and friends reach the registries. A value that
  # is a path travels as a file; a folder of this machine (PIP_FIND_LINKS=/opt/wheels, say)
  # does not exist in the root, so the variable stays out.
  local name value
  for name in $(compgen -e); do
    case $name in
      PIP_*|npm_config_*|NPM_CONFIG_*|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR| \
      REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|GIT_SSL_CAINFO|http_proxy|https_proxy|no_proxy| \
      HTTP_PROXY|HTTPS_PROXY|NO_PROXY|all_proxy|ALL_PROXY) ;;
      *) continue ;;
    esac
    value=${!name}
    if [[ $value == /* ]]; then
      if [[ -f $value ]]; then
        copy_into_root "$value"
      elif ! exists_in_root "$value"; then
        say "not carried: $name ($value is a folder of this machine)"
        continue
      fi
    fi
    carried_env+=("$name=$value")
  done
  say "variables carried: $(printf '%s ' "${carried_env[@]%%=*}")"
}
