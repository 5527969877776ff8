// `{{$file}}` reads inside the workspace folder only: tried on a real folder
// tree with a symbolic link out, a FIFO and the kernel's /proc, then through
// a whole session against a scripted server that must never see the DATA.
// The race between the check and the read is made for real: a symbolic link
// swapped in at the one moment it matters (a hook between check and open, or
// the scripted server swapping it before it answers DATA), never by timing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confineFile, openConfinedFile, type FileAccess } from '../../../server/src/engine/confineFile';
import { playSession, type InputsRead } from '../../../server/src/engine/playSession';
import { SessionError } from '../../../server/src/engine/sessionErrors';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { greetAndEhlo, startScriptedServer } from './scriptedServer';

let top: string;
let workspace: string;
let outside: string;

before(() => {
  top = realpathSync(mkdtempSync(join(tmpdir(), 'smtp-session-confine-')));
  workspace = join(top, 'workspace');
  outside = join(top, 'elsewhere');
  mkdirSync(join(workspace, 'mail', 'bodies'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(workspace, 'mail', 'bodies', 'hello.txt'), 'Subject: hello\n\nhi\n');
  writeFileSync(join(workspace, 'shared.txt'), 'shared\n');
  writeFileSync(join(outside, 'private.txt'), 'not for sending\n');
  symlinkSync(join(outside, 'private.txt'), join(workspace, 'mail', 'innocent.txt'));
  symlinkSync(join(workspace, 'shared.txt'), join(workspace, 'mail', 'inside-link.txt'));
  execFileSync('mkfifo', [join(workspace, 'mail', 'pipe')]);
});

after(() => rmSync(top, { recursive: true, force: true }));

/** As a file at workspace/mail/x.smtp sees it. */
function where(allowOutside = false): FileAccess {
  return { base: join(workspace, 'mail'), root: workspace, allowOutside };
}

async function refusal(written: string, allowOutside = false): Promise<string> {
  try {
    await confineFile(written, where(allowOutside), 12);
  } catch (error) {
    assert.ok(error instanceof SessionError, String(error));
    assert.equal(error.kind, 'usage');
    assert.equal(error.line, 12);
    assert.match(error.message, new RegExp(`^line 12: \\{\\{\\$file ${written.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\}\\} `));
    assert.match(error.message, /Nothing of the message was sent\.$/);
    return error.message;
  }
  assert.fail(`{{$file ${written}}} was not refused`);
}

describe('confineFile', () => {
  it('reads a file below the .smtp file, or elsewhere in the workspace folder, and shows it relative to the folder', async () => {
    assert.deepEqual(await confineFile('bodies/hello.txt', where(), 1), { path: join(workspace, 'mail', 'bodies', 'hello.txt'), outside: false, shown: join('mail', 'bodies', 'hello.txt') });
    assert.deepEqual(await confineFile('../shared.txt', where(), 1), { path: join(workspace, 'shared.txt'), outside: false, shown: 'shared.txt' });
    assert.equal((await confineFile('inside-link.txt', where(), 1)).path, join(workspace, 'shared.txt'), 'a link that stays inside is followed');
  });

  it('refuses a path that climbs out with "..", naming the workspace folder and how to allow it', async () => {
    const message = await refusal('../../elsewhere/private.txt');
    assert.match(message, new RegExp(`leads outside the workspace folder ${workspace} \\(to ${join(outside, 'private.txt')}\\)`));
    assert.match(message, /add "@allow-outside-files = true" to the session/);
  });

  it('refuses an absolute path, even /etc/passwd', async () => {
    assert.match(await refusal('/etc/passwd'), /is an absolute path: \{\{\$file\}\} reads only inside the workspace folder .* by a path relative to the \.smtp file/);
    assert.match(await refusal(join(workspace, 'shared.txt')), /is an absolute path/);
  });

  it('refuses a symbolic link that leads out, naming where it leads', async () => {
    assert.match(await refusal('innocent.txt'), new RegExp(`goes through a symbolic link: it leads outside the workspace folder ${workspace} \\(to ${join(outside, 'private.txt')}\\)`));
  });

  it('never reads /proc, /sys or /dev, not even with @allow-outside-files', async () => {
    for (const allowed of [false, true]) {
      assert.match(await refusal('/proc/self/environ', allowed), /reads \/proc\/self\/environ, a file of the system .* it is never sent, @allow-outside-files or not\./);
      assert.match(await refusal('../../../../../../../../proc/self/environ', allowed), /reads \/proc\/self\/environ, a file of the system/);
      assert.match(await refusal('/dev/zero', allowed), /reads \/dev\/zero, a file of the system/);
    }
  });

  it('refuses what is not a regular file: a FIFO would wait forever, a directory is no message', async () => {
    assert.match(await refusal('pipe'), /names a named pipe \(FIFO\), not a regular file/);
    assert.match(await refusal('bodies'), /names a directory, not a regular file/);
  });

  it('says when the file does not exist', async () => {
    assert.match(await refusal('bodies/missing.txt'), /cannot be read: it does not exist\. Check the path \(it is relative to the \.smtp file\)\./);
  });

  it('with @allow-outside-files reads outside the folder, by any path, and says it is outside', async () => {
    assert.deepEqual(await confineFile('../../elsewhere/private.txt', where(true), 1), { path: join(outside, 'private.txt'), outside: true, shown: join(outside, 'private.txt') });
    assert.equal((await confineFile('innocent.txt', where(true), 1)).outside, true);
    assert.equal((await confineFile(join(workspace, 'shared.txt'), where(true), 1)).outside, false);
  });
});

describe('openConfinedFile: the check and the read are one', () => {
  /** A fresh folder of the workspace holding letter.txt, and outside it a file of the same name that must never be read. */
  function stage(name: string): { folder: string; elsewhere: string } {
    const folder = join(workspace, name);
    const elsewhere = join(outside, name);
    mkdirSync(folder);
    mkdirSync(elsewhere);
    writeFileSync(join(folder, 'letter.txt'), 'inside\n');
    writeFileSync(join(elsewhere, 'letter.txt'), 'OUTSIDE SECRET\n');
    return { folder, elsewhere };
  }

  async function refusalAfterSwap(written: string, afterCheck: () => Promise<void>): Promise<string> {
    let opened;
    try {
      opened = await openConfinedFile(written, where(), 7, { afterCheck });
    } catch (error) {
      assert.ok(error instanceof SessionError, String(error));
      return error.message;
    }
    const read = await opened.handle.readFile('utf8');
    await opened.handle.close();
    assert.notEqual(read, 'OUTSIDE SECRET\n', 'the outside file was read');
    assert.fail(`not refused: read ${JSON.stringify(read)}`);
  }

  it('reads the checked file from the descriptor it opened', async () => {
    const opened = await openConfinedFile('bodies/hello.txt', where(), 1);
    try {
      assert.equal(opened.path, join(workspace, 'mail', 'bodies', 'hello.txt'));
      assert.equal(await opened.handle.readFile('utf8'), 'Subject: hello\n\nhi\n');
    } finally {
      await opened.handle.close();
    }
  });

  it('refuses the file replaced by a symbolic link to outside between the check and the open', async () => {
    const { folder, elsewhere } = stage('swap-file');
    const message = await refusalAfterSwap('../swap-file/letter.txt', async () => {
      rmSync(join(folder, 'letter.txt'));
      symlinkSync(join(elsewhere, 'letter.txt'), join(folder, 'letter.txt'));
    });
    assert.match(message, /^line 7: \{\{\$file \.\.\/swap-file\/letter\.txt\}\} changed while it was being opened: .*swap-file\/letter\.txt or a folder on its path was replaced/);
    assert.match(message, /Nothing of the message was sent\.$/);
  });

  it('refuses a folder on the path replaced by a symbolic link to outside between the check and the open', async () => {
    const { folder, elsewhere } = stage('swap-folder');
    const message = await refusalAfterSwap('../swap-folder/letter.txt', async () => {
      renameSync(folder, `${folder}.moved`);
      symlinkSync(elsewhere, folder);
    });
    assert.match(message, /changed while it was being opened/);
  });

  it('in a session: a link swapped in after the check before DATA, while the server answers DATA, is refused and never sent', { timeout: 15_000 }, async () => {
    const { folder, elsewhere } = stage('swap-during-data');
    const received: Buffer[] = [];
    const server = await startScriptedServer(async (c) => {
      await greetAndEhlo(c);
      for (;;) {
        const line = await c.line();
        if (line === 'DATA') {
          // The engine checked the file before sending DATA; now it becomes a link out, then the body is invited.
          rmSync(join(folder, 'letter.txt'));
          symlinkSync(join(elsewhere, 'letter.txt'), join(folder, 'letter.txt'));
          c.send('354 go\r\n');
          received.push(await c.body());
          c.send('250 queued\r\n');
        } else {
          c.send(line === 'QUIT' ? '221 bye\r\n' : '250 ok\r\n');
        }
      }
    });
    let result;
    try {
      const file = parseTranscript([
        `@server = 127.0.0.1:${server.port}`,
        'C: EHLO client.example', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250',
        'C: DATA', 'S: 354', 'Subject: swap', '', '{{$file ../swap-during-data/letter.txt}}', '.', 'S: 250', 'C: QUIT',
      ].join('\n'));
      result = await playSession(file, file.sessions[0], { filePath: join(workspace, 'mail', 'send.smtp'), workspaceRoot: workspace, secrets: { secret: async () => '', prompt: async () => '' }, timeoutSeconds: 5 });
      await server.connections[0]?.closed;
    } finally {
      await server.close();
    }
    const wire = server.connections[0].received().toString('latin1');
    assert.ok(!wire.includes('OUTSIDE SECRET'), `the outside file reached the server:\n${wire}`);
    assert.deepEqual(received, [], 'no complete message (no end of data) reached the server');
    assert.equal(result.error?.line, 11);
    assert.match(result.error?.message ?? '', /^line 11: \{\{\$file \.\.\/swap-during-data\/letter\.txt\}\} goes through a symbolic link: it leads outside the workspace folder .* The message was cut off before its end, so the server does not deliver it\.$/);
    assert.equal(readFileSync(join(elsewhere, 'letter.txt'), 'utf8'), 'OUTSIDE SECRET\n');
  });
});

describe('{{$file}} in a session', () => {
  const noSecrets = { secret: async () => assert.fail('no secret'), prompt: async () => assert.fail('no prompt') };
  const TIMEOUT = { timeout: 15_000 };

  async function play(bodyLine: string, allow = false, env: NodeJS.ProcessEnv = {}) {
    const commands: string[] = [];
    const server = await startScriptedServer(async (c) => {
      await greetAndEhlo(c);
      for (;;) {
        const line = await c.line();
        commands.push(line);
        if (line === 'DATA') {
          c.send('354 go\r\n');
          await c.body();
          c.send('250 queued\r\n');
        } else {
          c.send(line === 'QUIT' ? '221 bye\r\n' : '250 ok\r\n');
        }
      }
    });
    try {
      const file = parseTranscript([
        `@server = 127.0.0.1:${server.port}`, ...(allow ? ['@allow-outside-files = true'] : []),
        'C: EHLO client.example', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250',
        'C: DATA', 'S: 354', 'Subject: {{$env SUBJECT}}', '', bodyLine, '.', 'S: 250', 'C: QUIT',
      ].join('\n'));
      const inputsRead: InputsRead = { environment: [], files: [] };
      const result = await playSession(file, file.sessions[0], { filePath: join(workspace, 'mail', 'send.smtp'), workspaceRoot: workspace, secrets: noSecrets, timeoutSeconds: 5, env: { SUBJECT: 'hi', ...env }, inputsRead });
      return { result, commands, inputsRead };
    } finally {
      await server.close();
    }
  }

  it('refuses /proc/self/environ before DATA goes out, with the line and why', TIMEOUT, async () => {
    const { result, commands } = await play('{{$file /proc/self/environ}}', false, { SMTP_SECRET_PASS: 'hunter22' });
    assert.equal(result.error?.line, 11);
    assert.match(result.error?.message ?? '', /^line 11: \{\{\$file \/proc\/self\/environ\}\} reads \/proc\/self\/environ, a file of the system/);
    assert.deepEqual(commands.slice(0, 3), ['MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'QUIT'], 'no DATA: the session ended politely');
  });

  it('refuses a ".." escape the same way', TIMEOUT, async () => {
    const { result, commands } = await play('{{$file ../../elsewhere/private.txt}}');
    assert.match(result.error?.message ?? '', /^line 11: \{\{\$file \.\.\/\.\.\/elsewhere\/private\.txt\}\} leads outside the workspace folder/);
    assert.ok(!commands.includes('DATA'));
  });

  it('lists the environment variables and files read, and warns when a file is outside with @allow-outside-files', TIMEOUT, async () => {
    const inside = await play('{{$file bodies/hello.txt}}');
    assert.equal(inside.result.error, null, JSON.stringify(inside.result.error));
    assert.deepEqual(inside.inputsRead, { environment: ['SUBJECT'], files: [join('mail', 'bodies', 'hello.txt')] });
    assert.deepEqual(inside.result.warnings, []);

    const allowed = await play('{{$file ../../elsewhere/private.txt}}', true);
    assert.equal(allowed.result.error, null, JSON.stringify(allowed.result.error));
    assert.deepEqual(allowed.inputsRead.files, [join(outside, 'private.txt')]);
    assert.deepEqual(allowed.result.warnings, [`line 12: {{$file ../../elsewhere/private.txt}} reads ${join(outside, 'private.txt')}, outside the workspace folder (@allow-outside-files = true).`]);
  });
});
