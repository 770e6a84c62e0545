import { expect } from '@open-wc/testing';
import { toSafeUrl } from './safe-url.js';

const HTTPS_BASE = 'https://ebank.demo-bank.example/v1/decisions';
const HTTP_BASE = 'http://127.0.0.1:8080/v1/decisions';

// Assertions compare hrefs: a failing chai assertion on a URL object hangs @web/test-runner's error serialisation.
const safeHref = (raw: unknown, base: string | URL) => toSafeUrl(raw as string, base)?.href ?? null;

describe('toSafeUrl', () => {
  const accepted: [raw: string, base: string | URL, href: string][] = [
    ['https://partner.example/landing?utm=opslot#top', HTTPS_BASE, 'https://partner.example/landing?utm=opslot#top'],
    ['/go/cr-1', HTTPS_BASE, 'https://ebank.demo-bank.example/go/cr-1'],
    ['assets/cr-1.png', HTTPS_BASE, 'https://ebank.demo-bank.example/v1/assets/cr-1.png'],
    ['?page=2', HTTPS_BASE, 'https://ebank.demo-bank.example/v1/decisions?page=2'],
    ['//cdn.demo-bank.example/a.png', HTTPS_BASE, 'https://cdn.demo-bank.example/a.png'],
    ['HTTPS://PARTNER.EXAMPLE/A', HTTPS_BASE, 'https://partner.example/A'],
    ['https://partner.example/%E4%B8%AD%20x', HTTPS_BASE, 'https://partner.example/%E4%B8%AD%20x'],
    ['https://partner.example/landing', new URL(HTTPS_BASE), 'https://partner.example/landing'],
    // An HTML entity is not decoded: this is a harmless relative path with a fragment, not a javascript: URL.
    ['jav&#x09;ascript:alert(1)', HTTPS_BASE, 'https://ebank.demo-bank.example/v1/jav&#x09;ascript:alert(1)'],
    // A development endpoint on http may hand out http URLs, and https ones.
    ['http://127.0.0.1:8080/go/1', HTTP_BASE, 'http://127.0.0.1:8080/go/1'],
    ['/go/1', HTTP_BASE, 'http://127.0.0.1:8080/go/1'],
    ['https://partner.example/', HTTP_BASE, 'https://partner.example/'],
  ];
  for (const [raw, base, href] of accepted) {
    it(`accepts ${raw} against ${base}`, () => {
      expect(toSafeUrl(raw, base) instanceof URL).to.equal(true);
      expect(safeHref(raw, base)).to.equal(href);
    });
  }

  const refused: [raw: string, why: string, base?: string][] = [
    ['javascript:alert(1)', 'javascript:'],
    ['JavaScript:alert(1)', 'mixed-case javascript:'],
    ['JAVASCRIPT:alert(1)', 'upper-case javascript:'],
    [' javascript:alert(1)', 'a leading space'],
    ['\u0001javascript:alert(1)', 'a leading control character'],
    ['java\tscript:alert(1)', 'a tab inside the scheme'],
    ['java\nscript:alert(1)', 'a newline inside the scheme'],
    ['java\rscript:alert(1)', 'a carriage return inside the scheme'],
    ['javascript\u0000:alert(1)', 'a NUL'],
    ['\u00a0https://partner.example/', 'a no-break space'],
    ['\ufeffhttps://partner.example/', 'a byte-order mark'],
    ['https://partner.example/\u2028', 'a line separator'],
    ['https://part\u200bner.example/', 'a zero-width space'],
    ['\u202ehttps://partner.example/', 'a bidi override'],
    ['https://partner.example/a b', 'a raw space'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=', 'a data: image'],
    ['vbscript:msgbox(1)', 'vbscript:'],
    ['blob:https://ebank.demo-bank.example/4f1c2d6e-0000-4000-8000-000000000000', 'blob:'],
    ['file:///etc/passwd', 'file:'],
    ['ftp://partner.example/', 'ftp:'],
    ['ws://partner.example/', 'ws:'],
    ['mailto:someone@partner.example', 'mailto:'],
    ['tel:+8610000000', 'tel:'],
    ['about:blank', 'about:'],
    ['chrome://settings', 'a browser scheme'],
    ['intent://scan/#Intent;scheme=zxing;end', 'an app intent'],
    ['http://partner.example/', 'http: from an https endpoint'],
    ['http:/partner.example/', 'a one-slash http:'],
    ['https://user:pass@partner.example/', 'credentials'],
    ['https://user@partner.example/', 'a user name'],
    ['https://:pass@partner.example/', 'a password alone'],
    ['//user:pass@partner.example/', 'protocol-relative credentials'],
    ['\\\\evil.example\\x', 'backslashes standing for slashes'],
    ['https:\\\\evil.example', 'a backslash after the scheme'],
    ['/\\evil.example', 'a slash-backslash'],
    ['//evil.example/x', 'protocol-relative to a file: base', 'file:///app/index.html'],
    ['', 'the empty string'],
    ['https://', 'no host'],
    ['https://[::1', 'an unclosed IPv6 host'],
    ['https://exa%mple.com', 'a bad percent-escape in the host'],
    ['https://partner.example/', 'an unparsable base', 'not a url'],
  ];
  for (const [raw, why, base = HTTPS_BASE] of refused) {
    it(`refuses ${why}`, () => {
      expect(safeHref(raw, base)).to.equal(null);
    });
  }

  it('refuses what is not a string, for callers that pass JSON through', () => {
    for (const raw of [undefined, null, 1, {}, ['https://partner.example/']]) {
      expect(safeHref(raw, HTTPS_BASE)).to.equal(null);
    }
  });

  it('never throws and only ever returns credential-free http(s) URLs, over 5,000 random strings', () => {
    const pieces = [
      'https:',
      'http:',
      'javascript:',
      'data:',
      '//',
      '/',
      '\\',
      '@',
      ':',
      'a',
      'b.example',
      '%',
      '%0a',
      '\t',
      '\n',
      ' ',
      '\u0000',
      '\u202e',
      '?',
      '#',
      '[',
      ']',
      '..',
      'user:pw@',
    ];
    let state = 7;
    const random = () => {
      state = (state * 48271) % 2147483647;
      return state / 2147483647;
    };
    for (let index = 0; index < 5000; index++) {
      const raw = Array.from(
        { length: 1 + Math.floor(random() * 8) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join('');
      const base = random() < 0.5 ? HTTPS_BASE : HTTP_BASE;
      let url: URL | null = null;
      expect(() => {
        url = toSafeUrl(raw, base);
      }, JSON.stringify(raw)).not.to.throw();
      if (url) {
        const { protocol, username, password } = url as URL;
        expect(protocol === 'https:' || (protocol === 'http:' && base === HTTP_BASE), JSON.stringify(raw)).to.equal(
          true,
        );
        expect(username + password, JSON.stringify(raw)).to.equal('');
      }
    }
  });
});
