// Adversarial messages through the capture server's message handling (the
// subject of the summary line, the inbox preview) and adversarial server
// replies through the engine's reply reader, at n and 4n (measureScaling.ts).
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { messagePreview } from '../../server/src/captureServer/messagePreview';
import { HEAD_LIMIT } from '../../server/src/captureServer/messageSpool';
import { subjectOf } from '../../server/src/captureServer/messageSubject';
import { ReplyReader } from '../../server/src/engine/replyReader';
import { SessionError } from '../../server/src/engine/sessionErrors';
import { MESSAGE_FAMILIES, REPLY_FAMILIES } from './adversarialFamilies';
import { assertScales, measure, measureAsync } from './measureScaling';

describe('the capture server summarises and previews adversarial messages in linear time', () => {
  for (const family of MESSAGE_FAMILIES) {
    it(family.name, async () => {
      assertScales('message summary and preview', family, await measureAsync(family, async (text) => {
        const raw = Buffer.from(text, 'latin1');
        await subjectOf(raw.subarray(0, HEAD_LIMIT));
        await messagePreview(Readable.from([raw]), raw.length);
      }));
    });
  }
});

describe('the reply reader reads adversarial replies in linear time', () => {
  for (const family of REPLY_FAMILIES) {
    it(family.name, () => {
      assertScales('reply reader', family, measure(family, (text) => {
        const reader = new ReplyReader();
        const bytes = Buffer.from(text, 'latin1');
        try {
          // In the chunks a socket delivers.
          for (let at = 0; at < bytes.length; at += 65_536) {
            reader.push(bytes.subarray(at, at + 65_536));
            while (reader.next());
          }
        } catch (error) {
          // A reply over its bounds or malformed is a protocol error by design; anything else fails the test.
          if (!(error instanceof SessionError)) throw error;
        }
      }));
    });
  }
});
