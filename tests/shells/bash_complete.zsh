#!/usr/bin/env zsh
# Prints what an interactive bash offers for a half-typed line: bash runs on a pseudo-terminal
# (zsh/zpty) with readline, sources the completion script, gets the line and one TAB. The
# completion function is wrapped to report its candidates between `<<` and `>>` lines; then a
# key bound with `bind -x` prints the line as TAB left it (`BUFFER:…`), which shows whether a
# space followed and whether readline fell back to file names.
#
# usage: zsh -f bash_complete.zsh SCRIPT 'kubectl-tokenrequest delete --ign'
emulate -L zsh
zmodload zsh/zpty || { print -u2 'zsh/zpty is missing'; exit 3 }
zpty b bash --norc --noprofile -i
zpty -w b "PS1=''; PS2=''; bind 'set enable-bracketed-paste off'; bind 'set bell-style none'; source ${(q)1}"
zpty -w b '__real=$(complete -p kubectl-tokenrequest | sed -E "s/.* -F ([^ ]+) .*/\\1/")'
zpty -w b '__wrapped() { "$__real" "$@"; printf "\n<<\n"; printf "%s\n" "${COMPREPLY[@]}"; printf ">>\n"; }'
zpty -w b "eval \"\$(complete -p kubectl-tokenrequest | sed -E 's/ -F [^ ]+ / -F __wrapped /')\""
zpty -w b '__buffer() { printf "\n<<BUFFER:%s>>\n" "$READLINE_LINE"; }; bind -x "\"\\C-x\\C-b\": __buffer"; echo READY-FOR-""INPUT'
# The quotes keep the echo of the command from matching: only its output does.
zpty -r b ignored '*READY-FOR-INPUT*'
zpty -w -n b "$2"$'\t'$'\C-x\C-b'
local out
zpty -r -m b out '*<<BUFFER:*>>*'
zpty -d b
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
