# bash completion for kubectl-tokenrequest                       -*- shell-script -*-
#
# Dynamic: every TAB asks the plugin itself, `kubectl-tokenrequest __complete WORDS… CURRENT`,
# the protocol kubectl and Cobra speak (one candidate per line, `value<TAB>description`, then
# `:DIRECTIVE`), so names, namespaces and contexts come from the cluster and the kubeconfig.
# Load it with `source <(kubectl-tokenrequest completion bash)`.

# The words up to the cursor as they were typed: bash splits `--output=json` and
# `arn:aws:eks:…` at the characters of COMP_WORDBREAKS; pieces that no blank separates in
# the line are joined again. Sets `words` and `cur`.
__kubectl_tokenrequest_words() {
    local line=${COMP_LINE:0:COMP_POINT} word trimmed i
    words=()
    for ((i = 0; i <= COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        trimmed=${line#"${line%%[![:space:]]*}"}
        if ((i > 0)) && [[ ${#trimmed} -eq ${#line} ]]; then
            words[${#words[@]}-1]+=$word
        else
            words+=("$word")
        fi
        line=${trimmed#"$word"}
    done
    cur=${words[${#words[@]}-1]}
}

_kubectl_tokenrequest() {
    local cur words=() out directive program
    COMPREPLY=()
    __kubectl_tokenrequest_words

    # `~/…` as the shell would expand it (the words are not evaluated: typed text is never run).
    local i args=()
    for ((i = 1; i < ${#words[@]}; i++)); do
        args+=("${words[i]/#\~\//$HOME/}")
    done
    program=${words[0]/#\~\//$HOME/}
    out=$("$program" __complete "${args[@]}" 2>/dev/null)

    directive=${out##*:}
    out=${out%:*}
    [[ $directive =~ ^[0-9]+$ ]] || directive=0
    # 1 error, 2 no space, 4 no file completion, 8 file extensions, 16 directories, 32 keep order.
    ((directive & 1)) && return

    ((directive & 2)) && compopt -o nospace 2>/dev/null
    ((directive & 4)) && compopt +o default 2>/dev/null
    ((directive & 32)) && compopt -o nosort 2>/dev/null

    # After `--flag=` the candidates are bare values; bash replaces only the part after `=`.
    [[ $cur == -*=* ]] && cur=${cur#*=}

    local candidates=() line
    while IFS='' read -r line; do
        [[ -n $line ]] && candidates+=("${line%%$'\t'*}")
    done <<<"$out"

    if ((directive & 8)); then
        local ext
        for ext in "${candidates[@]}"; do
            while IFS='' read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -X "!*.$ext" -- "$cur")
        done
        while IFS='' read -r line; do COMPREPLY+=("$line"); done < <(compgen -d -- "$cur")
        compopt -o filenames 2>/dev/null
        return
    elif ((directive & 16)); then
        local dir=${candidates[0]:-.}
        while IFS='' read -r line; do COMPREPLY+=("${line#"$dir"/}"); done < <(cd "$dir" 2>/dev/null && compgen -d -- "$cur")
        compopt -o filenames 2>/dev/null
        return
    fi

    local candidate
    for candidate in "${candidates[@]}"; do
        [[ $candidate == "$cur"* ]] && COMPREPLY+=("$candidate")
    done

    # bash completes only the part of the word after its last `:` or `=` (when they break
    # words): the candidates lose what comes before.
    local char piece
    for char in : =; do
        if [[ $cur == *"$char"* && $COMP_WORDBREAKS == *"$char"* ]]; then
            piece=${cur%"${cur##*"$char"}"}
            for i in "${!COMPREPLY[@]}"; do
                COMPREPLY[i]=${COMPREPLY[i]#"$piece"}
            done
        fi
    done
}

complete -o default -F _kubectl_tokenrequest kubectl-tokenrequest
