import { expect } from '@open-wc/testing';
import type { ApplicationInput } from '@opslot/core';
import { shanghaiToday, validateApplication } from './validate-application.js';

const CONTEXT = {
  today: '2026-11-27',
  allowedDomains: ['chengchuan-precision.example'],
  slotIds: ['home-banner', 'corp-web-native'],
};

const VALID: ApplicationInput = {
  campaignName: '数控机床以旧换新',
  slotIds: ['home-banner'],
  startDate: '2026-11-27',
  endDate: '2026-12-31',
  landingUrl: 'https://www.chengchuan-precision.example/offer',
  audience: { kind: 'all' },
  contact: { name: '张工', phone: '13812345678', email: 'zhang@chengchuan-precision.example' },
};

const codes = (input: Partial<ApplicationInput>) =>
  validateApplication({ ...VALID, ...input }, CONTEXT).map((error) => `${error.field}:${error.code}`);

describe('application rules', () => {
  it('accepts a valid application, mobile and landline numbers', () => {
    expect(codes({})).to.deep.equal([]);
    expect(codes({ contact: { ...VALID.contact, phone: '010-87654321' } })).to.deep.equal([]);
    expect(codes({ contact: { ...VALID.contact, phone: '07551234567' } })).to.deep.equal([]);
    expect(codes({ contact: { ...VALID.contact, phone: '010-87654321-123' } })).to.deep.equal([]);
  });

  it('refuses what the server refuses in a phone number and an email address', () => {
    // The server's landline pattern takes a hyphen after the area code, not a space.
    expect(codes({ contact: { ...VALID.contact, phone: '0755 1234567' } })).to.deep.equal(['contact.phone:invalid']);
    expect(codes({ contact: { ...VALID.contact, phone: '' } })).to.deep.equal(['contact.phone:invalid']);
    // ASCII only, at most 100 characters, a 1–64 character local part, a dotted host.
    expect(codes({ contact: { ...VALID.contact, email: '张工@chengchuan.example' } })).to.deep.equal([
      'contact.email:invalid',
    ]);
    expect(codes({ contact: { ...VALID.contact, email: `${'a'.repeat(65)}@b.example` } })).to.deep.equal([
      'contact.email:invalid',
    ]);
    expect(codes({ contact: { ...VALID.contact, email: `a@${'b'.repeat(95)}.example` } })).to.deep.equal([
      'contact.email:invalid',
    ]);
    expect(codes({ contact: { ...VALID.contact, email: 'a@b' } })).to.deep.equal(['contact.email:invalid']);
  });

  it("checks the landing URL by @opslot/core's rule, which the server applies, with its precise reason", () => {
    const landing = (landingUrl: string) =>
      validateApplication({ ...VALID, landingUrl }, CONTEXT).map(
        (error) => `${error.field}:${error.code}:${error.reason}`,
      );
    expect(landing('javascript:alert(1)')).to.deep.equal(['landingUrl:scheme-not-allowed:scheme']);
    expect(landing('https://evilchengchuan-precision.example/')).to.deep.equal([
      'landingUrl:domain-not-allowed:domain',
    ]);
    expect(landing('https://chengchuan-precision.example:8443/')).to.deep.equal(['landingUrl:invalid:port']);
    // The server refuses surrounding spaces, so the check does too: the form trims what it checks and sends.
    expect(landing(' https://www.chengchuan-precision.example/offer ')).to.deep.equal([
      'landingUrl:invalid:forbidden-character',
    ]);
    expect(landing('https://WWW.CHENGCHUAN-precision.example/a')).to.deep.equal([]);
    expect(validateApplication(VALID, { ...CONTEXT, allowedDomains: ['Chengchuan-Precision.example'] })).to.deep.equal(
      [],
    );
  });

  it('checks lengths, slots, dates and contact as the server does', () => {
    expect(codes({ campaignName: '新' })).to.deep.equal(['campaignName:length']);
    expect(codes({ campaignName: '新'.repeat(41) })).to.deep.equal(['campaignName:length']);
    expect(codes({ slotIds: [] })).to.deep.equal(['slotIds:length']);
    expect(codes({ slotIds: ['home-banner', 'a', 'b', 'c', 'd', 'e', 'f'] })).to.deep.equal(['slotIds:length']);
    expect(codes({ startDate: '', endDate: '' })).to.deep.equal(['startDate:invalid', 'endDate:invalid']);
    expect(codes({ slotIds: ['elsewhere'] })).to.deep.equal(['slotIds:not-allowed']);
    expect(codes({ startDate: '2026-11-26' })).to.deep.equal(['startDate:date-in-past']);
    expect(codes({ endDate: '2026-11-20' })).to.deep.equal(['endDate:date-order']);
    expect(codes({ endDate: '2027-11-28' })).to.deep.equal(['endDate:range-too-long']);
    expect(codes({ endDate: '2027-11-27' })).to.deep.equal([]);
    expect(codes({ startDate: '2026-02-30' })).to.deep.equal(['startDate:invalid']);
    expect(codes({ contact: { name: '', phone: '12345', email: 'a@b' } })).to.deep.equal([
      'contact.name:required',
      'contact.phone:invalid',
      'contact.email:invalid',
    ]);
  });

  it('knows today in Asia/Shanghai, whatever the computer says', () => {
    expect(shanghaiToday(Date.UTC(2026, 10, 26, 16, 30))).to.equal('2026-11-27');
    expect(shanghaiToday(Date.UTC(2026, 10, 26, 15, 59))).to.equal('2026-11-26');
  });
});
