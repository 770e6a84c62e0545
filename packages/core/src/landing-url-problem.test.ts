import { expect } from '@open-wc/testing';
import { landingUrlProblem } from './landing-url-problem.js';

const DOMAINS = ['chengchuan-precision.example'];
const problem = (value: unknown, domains: readonly string[] = DOMAINS) => landingUrlProblem(value, domains);

describe('landingUrlProblem', () => {
  it('accepts an https URL on an allowed domain or below it', () => {
    expect(problem('https://chengchuan-precision.example/')).to.equal(undefined);
    expect(problem('https://www.chengchuan-precision.example/offer?q=1#top')).to.equal(undefined);
  });

  it('compares hosts whatever the case of the URL or of the allowed domain', () => {
    expect(problem('https://WWW.Chengchuan-Precision.example/a')).to.equal(undefined);
    expect(problem('https://www.chengchuan-precision.example/a', ['Chengchuan-Precision.EXAMPLE'])).to.equal(undefined);
  });

  it('refuses a missing value as required', () => {
    for (const value of [undefined, null, 42, '', '   ']) {
      expect(problem(value)).to.deep.equal({ code: 'required', reason: 'missing' });
    }
  });

  it('refuses surrounding spaces as it refuses inner ones: the value is judged as it would be stored', () => {
    for (const value of [
      ' https://www.chengchuan-precision.example/',
      'https://www.chengchuan-precision.example/\t',
      'https://www.chengchuan-precision.example/a b',
      'https://www.chengchuan-precision.example/a\r\nb',
      'https://www.chengchuan-precision.example\\@evil.example/',
      'https://www.chengchuan-precision.example/\x7f',
    ]) {
      expect(problem(value), JSON.stringify(value)).to.deep.equal({ code: 'invalid', reason: 'forbidden-character' });
    }
  });

  it('names the precise reason of every other refusal', () => {
    expect(problem(`https://chengchuan-precision.example/${'a'.repeat(2048)}`)).to.deep.equal({
      code: 'invalid',
      reason: 'too-long',
    });
    expect(problem('/relative/path')).to.deep.equal({ code: 'invalid', reason: 'not-a-url' });
    expect(problem('javascript:alert(1)')).to.deep.equal({ code: 'scheme-not-allowed', reason: 'scheme' });
    expect(problem('data:text/html,hi')).to.deep.equal({ code: 'scheme-not-allowed', reason: 'scheme' });
    expect(problem('http://chengchuan-precision.example/')).to.deep.equal({
      code: 'scheme-not-allowed',
      reason: 'scheme',
    });
    expect(problem('https://user:pw@chengchuan-precision.example/')).to.deep.equal({
      code: 'invalid',
      reason: 'credentials',
    });
    expect(problem('https://chengchuan-precision.example:8443/')).to.deep.equal({ code: 'invalid', reason: 'port' });
    for (const value of [
      'https://chengchuan-precision.example.evil.example/',
      'https://evilchengchuan-precision.example/',
      'https://evil.example/?chengchuan-precision.example',
    ]) {
      expect(problem(value), value).to.deep.equal({ code: 'domain-not-allowed', reason: 'domain' });
    }
  });
});
