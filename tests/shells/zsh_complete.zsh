#!/usr/bin/env zsh
# Prints what zsh's completion offers for a half-typed line, one candidate per line: an
# interactive zsh in a pseudo-terminal (zsh/zpty) loads the completion functions in FPATH_DIR,
# gets the line and a TAB, and every `compadd` reports its matches between marker lines.
#
# usage: zsh -f zsh_complete.zsh FPATH_DIR 'kubectl-tokenrequest delete --ign'
emulate -L zsh
zmodload zsh/zpty || { print -u2 'zsh/zpty is missing'; exit 3 }
zpty z zsh -f -i
zpty -w z "PROMPT=''; RPROMPT=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd () { local -a hits; builtin compadd -O hits "$@"; (( $#hits )) && print -rl -- "<<" $hits ">>"; builtin compadd "$@" }'
zpty -w z "bindkey '^I' complete-word; zstyle ':completion:*' menu no; LISTMAX=100000; print -- READY-FOR-INPUT"
zpty -r z ignored '*READY-FOR-INPUT*' && zpty -r z ignored '*READY-FOR-INPUT*'
zpty -w -n z "$2"$'\t'
local out chunk
integer quiet=0 seen=0 waited=0
# Read until the completion has printed something and then stayed quiet for a moment.
while (( quiet < 10 )); do
  if zpty -r -t z chunk; then
    out+=$chunk; quiet=0
    [[ $out == *'>>'* ]] && seen=1
  else
    (( seen )) && (( quiet++ ))
    sleep 0.05
    (( ++waited > 100 )) && break
  fi
done
zpty -d z
local -a lines=("${(@f)${out//$'\r'/}}")
integer inside=0
for line in $lines; do
  case $line in
    (*'<<') inside=1 ;;
    ('>>') inside=0 ;;
    (*) (( inside )) && print -r -- $line ;;
  esac
done
exit 0
