/** notify completion bash|zsh|fish: a script that completes commands, flags, and the map's ids. */
import type { Context } from '../context.js';
import { EXIT, UsageError } from '../errors.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionOptions {
  shell: string;
}

// Every script asks `notify __complete -- WORDS` (the words after "notify", the last one being
// typed) and falls back to file names when it answers nothing (--config, --details-file...).
const SCRIPTS: Record<Shell, string> = {
  bash: `# notify completion for bash. Load it with:
#   eval "$(notify completion bash)"                 (in ~/.bashrc)
#   notify completion bash > ~/.local/share/bash-completion/completions/notify
_notify_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  local -a found
  found=($(notify __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  if (( \${#found[@]} == 0 )); then
    COMPREPLY=()
    return
  fi
  COMPREPLY=($(compgen -W "\${found[*]}" -- "$cur"))
  [[ \${#COMPREPLY[@]} == 1 && \${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
}
complete -o default -o bashdefault -F _notify_complete notify
`,
  zsh: `#compdef notify
# notify completion for zsh. Load it with:
#   eval "$(notify completion zsh)"                  (in ~/.zshrc, after compinit)
#   notify completion zsh > "\${fpath[1]}/_notify"
_notify() {
  local -a found
  found=("\${(@f)$(notify __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  found=(\${found:#})
  if (( \${#found} == 0 )); then
    _files
  else
    compadd -Q -- "\${found[@]}"
  fi
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _notify "$@"
else
  compdef _notify notify
fi
`,
  fish: `# notify completion for fish. Load it with:
#   notify completion fish > ~/.config/fish/completions/notify.fish
function __notify_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l found (notify __complete -- $words[2..-1] 2>/dev/null)
    if test (count $found) -eq 0
        __fish_complete_path (commandline -ct)
    else
        printf '%s\\n' $found
    end
end
complete -c notify -f -a '(__notify_complete)'
`,
};

export function completionScript(shell: Shell): string {
  return SCRIPTS[shell];
}

export async function runCompletion(o: CompletionOptions, ctx: Context): Promise<number> {
  if (!(SHELLS as readonly string[]).includes(o.shell)) throw new UsageError(`no completion for "${o.shell}"; choose one of ${SHELLS.join(', ')}`);
  ctx.stdout.write(completionScript(o.shell as Shell));
  return EXIT.ok;
}
