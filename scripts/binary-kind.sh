# What kind of executable a file is, judged from its bytes with od alone (`file` is not on
# every machine, and its wording differs between versions). Sourced by package-release.sh.
#
# binary_kind FILE sets
#   found_format  ELF, Mach-O, PE or unknown
#   found_cpus    the CPUs it runs on, space-separated: x86_64 aarch64 i386 arm ppc64
#                 (several for a universal Mach-O), or unknown
#   found_libc    ELF only: static (no program interpreter), musl or glibc (by the
#                 interpreter's name: ld-musl-*, ld-linux*), or other
#   found_interp  ELF only: the program interpreter, if any
# binary_description prints them as a phrase for an error message.

# COUNT bytes of FILE from OFFSET as hex pairs, one word each; nothing past the end.
bytes_at() {
    od -An -v -tx1 -j "$2" -N "$3" "$1" 2>/dev/null
}

# An unsigned integer of COUNT bytes at OFFSET in FILE, little- (le) or big-endian (be);
# empty when the file is shorter.
uint_at() {
    local hex="" byte count=0
    for byte in $(bytes_at "$1" "$2" "$3"); do
        if [ "$4" = le ]; then hex=$byte$hex; else hex=$hex$byte; fi
        count=$((count + 1))
    done
    [ "$count" -eq "$3" ] && echo $((16#$hex))
}

# The CPU name of an ELF e_machine, a Mach-O cputype or a PE Machine.
elf_cpu() {
    case "$1" in
    62) echo x86_64 ;; 183) echo aarch64 ;; 3) echo i386 ;; 40) echo arm ;; 21) echo ppc64 ;;
    *) echo "unknown(machine $1)" ;;
    esac
}
macho_cpu() {
    case "$1" in
    16777223) echo x86_64 ;; 16777228) echo aarch64 ;; 7) echo i386 ;; 12) echo arm ;;
    *) echo "unknown(cputype $1)" ;;
    esac
}
pe_cpu() {
    case "$1" in
    34404) echo x86_64 ;; 43620) echo aarch64 ;; 332) echo i386 ;; 452) echo arm ;;
    *) echo "unknown(machine $1)" ;;
    esac
}

binary_kind() {
    local file=$1 magic
    found_format=unknown found_cpus=unknown found_libc="" found_interp=""
    magic=$(bytes_at "$file" 0 4 | tr -d ' \n')
    case "$magic" in
    7f454c46) elf_kind "$file" ;;
    cffaedfe | cefaedfe)
        found_format=Mach-O
        found_cpus=$(macho_cpu "$(uint_at "$file" 4 4 le)")
        ;;
    cafebabe)
        # A universal binary: big-endian fat header, then 20 bytes per architecture.
        local count index
        found_format=Mach-O
        count=$(uint_at "$file" 4 4 be)
        found_cpus=""
        for ((index = 0; index < ${count:-0} && index < 16; index++)); do
            found_cpus="$found_cpus $(macho_cpu "$(uint_at "$file" $((8 + 20 * index)) 4 be)")"
        done
        found_cpus=${found_cpus# }
        ;;
    4d5a*)
        local header
        header=$(uint_at "$file" 60 4 le)
        if [ -n "$header" ] && [ "$(bytes_at "$file" "$header" 4 | tr -d ' \n')" = 50450000 ]; then
            found_format=PE
            found_cpus=$(pe_cpu "$(uint_at "$file" $((header + 4)) 2 le)")
        fi
        ;;
    esac
}

# ELF: class (32/64-bit) and byte order from e_ident, e_machine, then the program headers
# for PT_INTERP (the dynamic loader a glibc or musl binary names; a static one has none).
elf_kind() {
    local file=$1 class order wide phoff phentsize phnum index entry
    found_format=ELF
    class=$(uint_at "$file" 4 1 le)
    order=$(uint_at "$file" 5 1 le)
    [ "$order" = 2 ] && order=be || order=le
    found_cpus=$(elf_cpu "$(uint_at "$file" 18 2 "$order")")
    if [ "$class" = 2 ]; then
        wide=8 phoff=$(uint_at "$file" 32 8 "$order")
        phentsize=$(uint_at "$file" 54 2 "$order") phnum=$(uint_at "$file" 56 2 "$order")
    else
        wide=4 phoff=$(uint_at "$file" 28 4 "$order")
        phentsize=$(uint_at "$file" 42 2 "$order") phnum=$(uint_at "$file" 44 2 "$order")
    fi
    found_libc=static
    for ((index = 0; index < ${phnum:-0} && index < 64; index++)); do
        entry=$((phoff + index * phentsize))
        [ "$(uint_at "$file" "$entry" 4 "$order")" = 3 ] || continue
        # p_offset and p_filesz: after p_type (and p_flags on 64-bit).
        local offset size
        if [ "$wide" = 8 ]; then
            offset=$(uint_at "$file" $((entry + 8)) 8 "$order")
            size=$(uint_at "$file" $((entry + 32)) 8 "$order")
        else
            offset=$(uint_at "$file" $((entry + 4)) 4 "$order")
            size=$(uint_at "$file" $((entry + 16)) 4 "$order")
        fi
        found_interp=$(dd if="$file" bs=1 skip="$offset" count="$((size > 256 ? 256 : size))" \
            2>/dev/null | tr -d '\000')
        case "$found_interp" in
        *ld-musl*) found_libc=musl ;;
        *ld-linux*) found_libc=glibc ;;
        *) found_libc=other ;;
        esac
        break
    done
}

binary_description() {
    case "$found_format" in
    unknown) echo "not an executable (no ELF, Mach-O or PE header)" ;;
    ELF)
        case "$found_libc" in
        static) echo "an ELF $found_cpus executable, static" ;;
        *) echo "an ELF $found_cpus executable linked against $found_libc (interpreter $found_interp)" ;;
        esac
        ;;
    *) echo "a $found_format $found_cpus executable" ;;
    esac
}
