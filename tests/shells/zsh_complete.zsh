#!/usr/bin/env zsh
# Prints what zsh's completion offers for a half-typed line, one candidate per line: an
# interactive zsh in a pseudo-terminal (zsh/zpty) loads the completion functions in FPATH_DIR,
# gets the line and a TAB, and every `compadd` reports its matches between marker lines; then
# a key prints the line as TAB left it (`BUFFER:…`: was a space added, a file name inserted?).
#
# usage: zsh -f zsh_complete.zsh FPATH_DIR 'kubectl-tokenrequest delete --ign'
emulate -L zsh
zmodload zsh/zpty || { print -u2 'zsh/zpty is missing'; exit 3 }
zpty z zsh -f -i
zpty -w z "PROMPT=''; RPROMPT=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd () { local -a hits; builtin compadd -O hits "$@"; (( $#hits )) && print -rl -- "<<" $hits ">>"; builtin compadd "$@" }'
zpty -w z "__buffer() { print -r -- \$'\\n'\"<<BUFFER:\$BUFFER>>\" }; zle -N __buffer; bindkey '^X^B' __buffer"
zpty -w z "bindkey '^I' complete-word; zstyle ':completion:*' menu no; LISTMAX=100000; print -- READY-FOR-''INPUT"
# The quotes keep the echo of the command from matching: only its output does.
zpty -r z ignored '*READY-FOR-INPUT*'
# TAB, then a key that prints the line as TAB left it: zsh handles keys in order, so the
# marker comes after everything the completion printed.
zpty -w -n z "$2"$'\t'$'\C-x\C-b'
local out
zpty -r -m z out '*<<BUFFER:*>>*'
zpty -d z
local -a lines=("${(@f)${out//$'\r'/}}")
integer inside=0
for line in $lines; do
  case $line in
    (*'<<BUFFER:'*'>>'*) line=${line#*'<<BUFFER:'}; print -r -- "BUFFER:${line%%'>>'*}" ;;
    (*'<<') inside=1 ;;
    ('>>') inside=0 ;;
    (*) (( inside )) && print -r -- $line ;;
  esac
done
exit 0
