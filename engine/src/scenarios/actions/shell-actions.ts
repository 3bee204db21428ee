/**
 * Typing into the zkCli-compatible terminal, exactly as a learner would: a shell session
 * is opened through the LabApi (`shell.open`), each command is sent with Enter, and the
 * step waits for the prompt to come back before the next one. The output is kept in the
 * step log. Recorded scenarios replay terminal work this way.
 */
import { defineAction, type AnyActionDef } from '../context.js';
import { arrayOf, member, opt, str, int } from '../schema.js';
import { same, t } from '../text.js';

/** zkCli's prompt: `[zk: 127.0.0.1:2181(CONNECTED) 3] `. */
const PROMPT = /\[zk: [^\]]*\] $/;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

const shellRun = defineAction({
  name: 'shell.run',
  params: { commands: arrayOf(str(), { min: 1 }), member: opt(member()), timeoutMs: opt(int(100, 120_000)) },
  describe: (p) => t('action.shell.run', { commands: p.commands.join(' ⏎ ') }),
  async run(ctx, p) {
    const memberId = p.member === undefined ? null : await ctx.member(p.member);
    let output = '';
    let shellId: string | null = null;
    const off = ctx.lab.api.on('shell.output', (o) => {
      if (o.shellId === shellId) {
        output += o.data;
        ctx.poke();
      }
    });
    const waitPrompt = async (from: number) => {
      const until = ctx.now() + (p.timeoutMs ?? 10_000);
      while (!PROMPT.test(output.slice(from).replace(ANSI, '').replace(/\r/g, ''))) {
        if (ctx.now() > until) throw new Error(`the shell did not show its prompt again within ${p.timeoutMs ?? 10_000} ms`);
        await ctx.sleep(25);
      }
    };
    try {
      const info = await ctx.lab.invoke('shell.open', { member: memberId, cols: 160, rows: 40 });
      shellId = info.shellId;
      await waitPrompt(0);
      for (const command of p.commands) {
        const from = output.length;
        await ctx.lab.invoke('shell.input', { shellId, data: `${command}\r` });
        await waitPrompt(from + command.length);
      }
    } finally {
      off();
      if (shellId) await ctx.lab.invoke('shell.close', { shellId }).catch(() => undefined);
    }
    // Keep what the commands printed: not the prompts with their echo, nor the banner's connection event.
    const text = output
      .replace(ANSI, '')
      .replace(/\r/g, '')
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l !== '' && !l.startsWith('[zk: ') && l !== 'WATCHER::' && !/^WatchedEvent state:\w+ type:None path:null/.test(l));
    const tail = text.slice(-12).join('\n');
    return { value: { output: text.join('\n') }, result: same(tail === '' ? '(no output)' : `\n${tail}`) };
  },
});

export const SHELL_ACTIONS: AnyActionDef[] = [shellRun];
