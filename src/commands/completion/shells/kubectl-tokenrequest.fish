# fish completion for kubectl-tokenrequest. Dynamic: every TAB asks the plugin itself,
# `kubectl-tokenrequest __complete WORDS… CURRENT`, the protocol kubectl and Cobra speak (one
# candidate per line, `value<TAB>description`, then `:DIRECTIVE`), so names, namespaces and
# contexts come from the cluster and the kubeconfig. Load it with
# `kubectl-tokenrequest completion fish | source`, or save it in ~/.config/fish/completions/.

# Asks the plugin; keeps its candidates in __kubectl_tokenrequest_candidates. False when the
# shell should complete file names instead (no candidates, and the plugin did not say no).
function __kubectl_tokenrequest_ask
    set -g __kubectl_tokenrequest_candidates
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($tokens[1] __complete $tokens[2..-1] "$current" 2>/dev/null)
    set -l directive 0
    if string match -qr '^:[0-9]+$' -- "$out[-1]"
        set directive (string sub -s 2 -- $out[-1])
        set -e out[-1]
    end
    # 1 error, 2 no space, 4 no file completion, 8 file extensions, 16 directories.
    if test (math "bitand($directive, 1)") -ne 0
        return 0
    end
    if test (math "bitand($directive, 8)") -ne 0
        for ext in $out
            set -a __kubectl_tokenrequest_candidates (__fish_complete_suffix $current .$ext)
        end
        return 0
    end
    if test (math "bitand($directive, 16)") -ne 0
        set -g __kubectl_tokenrequest_candidates (__fish_complete_directories $current)
        return 0
    end
    # After `--flag=` the candidates are bare values: fish completes the whole token.
    set -l prefix (string match -r -- '^-[^=]*=' "$current")
    for line in $out
        test -n "$line"; and set -a __kubectl_tokenrequest_candidates "$prefix$line"
    end
    set -l count (count $__kubectl_tokenrequest_candidates)
    # fish adds no space after a candidate ending in one of `/=@:.,-`; for any other single
    # candidate a second, longer one keeps it from adding one (what Cobra's script does).
    if test (math "bitand($directive, 2)") -ne 0; and test $count -eq 1
        set -l value (string split -m 1 \t -- $__kubectl_tokenrequest_candidates[1])[1]
        if not string match -qr -- '[/=@:.,-]$' "$value"
            set -a __kubectl_tokenrequest_candidates "$value."
        end
    end
    test $count -gt 0; or test (math "bitand($directive, 4)") -ne 0
end

complete -c kubectl-tokenrequest -e
complete -c kubectl-tokenrequest -f -n __kubectl_tokenrequest_ask -a '$__kubectl_tokenrequest_candidates'
