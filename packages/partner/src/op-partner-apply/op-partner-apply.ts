// `<op-partner-apply>`: the short application form (issue 7, step 2). Every rule the server applies is checked here
// as the partner types (validate-application.ts); what the server still refuses comes back as field errors and shows
// on the field it names.

import {
  type ApplicationInput,
  type PartnerApplication,
  type PartnerMe,
  SUPPLY_CHAIN_DIRECTIONS,
  type SupplyChainDirection,
} from '@opslot/core';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { FormFieldError } from '../form-field-error.js';
import { fieldErrorText, type PartnerWords, wordsFor } from '../messages.js';
import { PartnerApiError, type PartnerClient } from '../partner-client.js';
import { partnerStyles } from '../partner-styles.js';
import { failureText, isAbort, renderFailure } from '../render-failure.js';
import { shanghaiToday, validateApplication } from '../validate-application.js';

interface FormValues {
  campaignName: string;
  slotIds: string[];
  startDate: string;
  endDate: string;
  landingUrl: string;
  audienceKind: 'all' | 'supply-chain';
  direction: SupplyChainDirection;
  hops: 1 | 2 | 3;
  'contact.name': string;
  'contact.phone': string;
  'contact.email': string;
}

const EMPTY: FormValues = {
  campaignName: '',
  slotIds: [],
  startDate: '',
  endDate: '',
  landingUrl: '',
  audienceKind: 'all',
  direction: 'downstream',
  hops: 1,
  'contact.name': '',
  'contact.phone': '',
  'contact.email': '',
};

/** The form's checked fields, in the order they appear. */
const FIELDS = [
  'campaignName',
  'slotIds',
  'startDate',
  'endDate',
  'landingUrl',
  'contact.name',
  'contact.phone',
  'contact.email',
] as const;

/** Whether `field` has a control of its own in the form. */
const isField = (field: string): field is (typeof FIELDS)[number] => (FIELDS as readonly string[]).includes(field);

/** The id of a field's control (`contact.phone` → `contact-phone`; the slots' first checkbox for `slotIds`). */
const controlId = (field: string) => (field === 'slotIds' ? 'slot-0' : field.replace('.', '-'));

/**
 * @summary The application form: campaign name, slots, dates, landing URL (on the partner's allowlisted domains),
 * audience and contact, with live validation and server field errors on their fields.
 * @event op-partner-applied - The application was created; `detail` is the `PartnerApplication`.
 */
export class OpPartnerApply extends LitElement {
  static override styles = [
    partnerStyles,
    css`
      form {
        display: grid;
        gap: 16px;
        max-width: 640px;
      }

      .field {
        display: grid;
        gap: 4px;
      }

      label,
      legend {
        font-weight: 600;
      }

      fieldset {
        display: grid;
        gap: 6px;
        margin: 0;
        padding: 12px;
        border: 1px solid var(--_border);
        border-radius: 6px;
      }

      .choice {
        display: flex;
        gap: 8px;
        align-items: center;
        min-height: 32px;
        font-weight: 400;
      }

      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
      }
    `,
  ];

  static override properties = {
    client: { attribute: false },
    me: { attribute: false },
    _values: { state: true },
    _errors: { state: true },
    _touched: { state: true },
    _busy: { state: true },
    _loadError: { state: true },
    _submitError: { state: true },
    _formErrors: { state: true },
  };

  declare client: PartnerClient | undefined;
  /** The partner and its slots; asked from the server when not given (the entry's `op-partner-start` carries it). */
  declare me: PartnerMe | undefined;
  declare private _values: FormValues;
  /** Errors by field: the browser's checks, then the server's on submit. */
  declare private _errors: Map<string, FormFieldError>;
  declare private _touched: Set<string>;
  declare private _busy: boolean;
  declare private _loadError: unknown;
  declare private _submitError: unknown;
  /** The server's errors on what has no control of its own (the audience, the request as a whole). */
  declare private _formErrors: FormFieldError[];
  private _request: AbortController | undefined;

  constructor() {
    super();
    this._values = { ...EMPTY };
    this._errors = new Map();
    this._touched = new Set();
    this._busy = false;
    this._formErrors = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a move that cut the question of /me short (the abort left no answer and no error).
    if (this.hasUpdated && this.client && !this.me && !this._loadError) void this._loadMe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._request?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.client && !this.me) void this._loadMe();
  }

  private async _loadMe(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const request = this._newRequest();
    this._loadError = undefined;
    try {
      this.me = await client.me(request.signal);
    } catch (error) {
      if (!isAbort(error)) this._loadError = error;
    }
  }

  private _newRequest(): AbortController {
    this._request?.abort();
    this._request = new AbortController();
    return this._request;
  }

  private _input(): ApplicationInput {
    const values = this._values;
    return {
      campaignName: values.campaignName.trim(),
      slotIds: values.slotIds,
      startDate: values.startDate,
      endDate: values.endDate,
      landingUrl: values.landingUrl.trim(),
      audience:
        values.audienceKind === 'all'
          ? { kind: 'all' }
          : { kind: 'supply-chain', direction: values.direction, hops: values.hops },
      contact: {
        name: values['contact.name'].trim(),
        phone: values['contact.phone'].trim(),
        email: values['contact.email'].trim(),
      },
    };
  }

  /** The browser's verdict on every field; the errors shown are those of the fields in `fields`. */
  private _check(fields: Iterable<string>): FormFieldError[] {
    const me = this.me;
    const all = validateApplication(this._input(), {
      today: shanghaiToday(),
      allowedDomains: me?.partner.allowedDomains ?? [],
      slotIds: me?.slots.map((slot) => slot.id) ?? [],
    });
    const shown = new Set(fields);
    const errors = new Map<string, FormFieldError>();
    for (const error of all) if (shown.has(error.field)) errors.set(error.field, error);
    // A server error stays on its field until the partner changes that field.
    for (const [field, error] of this._errors)
      if (!errors.has(field) && error.message !== undefined) errors.set(field, error);
    this._errors = errors;
    return all;
  }

  private _onInput(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    const field = control.name as keyof FormValues;
    const values = { ...this._values };
    if (field === 'slotIds') {
      const checked = new Set(values.slotIds);
      if ((control as HTMLInputElement).checked) checked.add(control.value);
      else checked.delete(control.value);
      values.slotIds = (this.me?.slots ?? []).map((slot) => slot.id).filter((id) => checked.has(id));
      this._touched = new Set(this._touched).add('slotIds');
    } else if (field === 'hops') values.hops = Number(control.value) as 1 | 2 | 3;
    else (values as unknown as Record<string, string>)[field] = control.value;
    this._values = values;
    // The server's error on this field was about the old value.
    const errors = new Map(this._errors);
    errors.delete(field);
    this._errors = errors;
    // The end date is judged against the start date: both are checked when either changes.
    if (field === 'startDate' && this._touched.has('endDate')) this._touched = new Set(this._touched).add('startDate');
    this._check(this._touched);
  }

  private _onBlur(event: FocusEvent): void {
    const field = (event.target as HTMLInputElement).name;
    if (!FIELDS.includes(field as (typeof FIELDS)[number])) return;
    this._touched = new Set(this._touched).add(field);
    this._check(this._touched);
  }

  private async _onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this._busy || !this.client) return;
    this._touched = new Set(FIELDS);
    this._submitError = undefined;
    this._formErrors = [];
    if (this._check(FIELDS).length > 0) {
      await this._focusFirstInvalid();
      return;
    }
    const request = this._newRequest();
    this._busy = true;
    try {
      const application: PartnerApplication = await this.client.createApplication(this._input(), request.signal);
      this.dispatchEvent(new CustomEvent('op-partner-applied', { detail: application, bubbles: true, composed: true }));
    } catch (error) {
      if (isAbort(error)) return;
      if (error instanceof PartnerApiError && error.fields.length > 0) {
        // A field with a control shows its error there; the others (`audience`, the body as a whole: '') above the
        // submit button.
        const onControls = error.fields.filter((field) => isField(field.field));
        this._errors = new Map(onControls.map((field) => [field.field, { ...field, message: field.message ?? '' }]));
        this._formErrors = error.fields.filter((field) => !isField(field.field));
        await this._focusFirstInvalid();
      }
      this._submitError = error;
    } finally {
      this._busy = false;
    }
  }

  private async _focusFirstInvalid(): Promise<void> {
    await this.updateComplete;
    const first = FIELDS.find((field) => this._errors.has(field));
    if (first) (this.renderRoot.querySelector(`#${controlId(first)}`) as HTMLElement | null)?.focus();
  }

  /** aria-invalid and aria-describedby of a field's control: its hint and, when it has one, its error. */
  private _aria(field: string, hint = false) {
    const invalid = this._errors.has(field);
    const id = controlId(field);
    const described = [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ');
    return { invalid: invalid ? 'true' : 'false', described: described || nothing };
  }

  private _error(field: string, words: PartnerWords) {
    const error = this._errors.get(field);
    if (!error) return nothing;
    return html`<span class="field-error" id="${controlId(field)}-error"
      >${fieldErrorText(words, error)}</span
    >`;
  }

  private _text(field: keyof FormValues, label: string, words: PartnerWords, type = 'text', hint?: string) {
    const aria = this._aria(field, hint !== undefined);
    const id = controlId(field);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${hint === undefined ? nothing : html`<span class="hint" id="${id}-hint">${hint}</span>`}
      <input
        id=${id}
        name=${field}
        type=${type}
        .value=${this._values[field] as string}
        min=${type === 'date' ? shanghaiToday() : nothing}
        autocomplete=${type === 'email' ? 'email' : type === 'tel' ? 'tel' : 'off'}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.described}
      />
      ${this._error(field, words)}
    </div>`;
  }

  protected override render() {
    const words = wordsFor(this);
    if (this._loadError) return renderFailure(words, this._loadError, () => void this._loadMe());
    const me = this.me;
    if (!me) return html`<p role="status">${words.loading}</p>`;
    const values = this._values;
    const slotAria = this._aria('slotIds', true);
    const errorCount = this._errors.size;
    return html`<form novalidate @submit=${this._onSubmit} @input=${this._onInput} @change=${this._onInput} @focusout=${this._onBlur}>
      <h2>${words.applyTitle}</h2>
      ${this._text('campaignName', words.campaignName, words, 'text', words.campaignNameHint)}
      <fieldset>
        <legend>${words.slots}</legend>
        <span class="hint" id="slot-0-hint">${words.slotsHint}</span>
        ${me.slots.map(
          (slot, index) => html`<label class="choice">
            <input
              id="slot-${index}"
              type="checkbox"
              name="slotIds"
              .value=${slot.id}
              .checked=${values.slotIds.includes(slot.id)}
              aria-invalid=${slotAria.invalid}
              aria-describedby=${slotAria.described}
            />${words.slotLabel(slot.id, slot.channel, slot.width, slot.height)}
          </label>`,
        )}
        ${this._error('slotIds', words)}
      </fieldset>
      <div class="row">
        ${this._text('startDate', words.startDate, words, 'date')} ${this._text('endDate', words.endDate, words, 'date')}
      </div>
      ${this._text('landingUrl', words.landingUrl, words, 'url', words.landingUrlHint(me.partner.allowedDomains.join('、')))}
      <fieldset>
        <legend>${words.audience}</legend>
        <label class="choice"
          ><input type="radio" name="audienceKind" value="all" .checked=${values.audienceKind === 'all'} />${words.audienceAll}</label
        >
        <label class="choice"
          ><input
            type="radio"
            name="audienceKind"
            value="supply-chain"
            .checked=${values.audienceKind === 'supply-chain'}
          />${words.audienceSupplyChain}</label
        >
        ${
          values.audienceKind === 'supply-chain'
            ? html`<div class="row">
              <div class="field">
                <label for="direction">${words.direction}</label>
                <select id="direction" name="direction" .value=${values.direction}>
                  ${SUPPLY_CHAIN_DIRECTIONS.map(
                    (direction) =>
                      html`<option value=${direction} ?selected=${values.direction === direction}>${words.directions[direction]}</option>`,
                  )}
                </select>
              </div>
              <div class="field">
                <label for="hops">${words.hops}</label>
                <select id="hops" name="hops">
                  ${[1, 2, 3].map(
                    (hops) =>
                      html`<option value=${hops} ?selected=${values.hops === hops}>${words.hopsValue(hops)}</option>`,
                  )}
                </select>
              </div>
            </div>`
            : nothing
        }
      </fieldset>
      <fieldset>
        <legend>${words.contact}</legend>
        ${this._text('contact.name', words.contactName, words)}
        ${this._text('contact.phone', words.contactPhone, words, 'tel', words.contactPhoneHint)}
        ${this._text('contact.email', words.contactEmail, words, 'email')}
      </fieldset>
      ${
        this._submitError && !(this._submitError instanceof PartnerApiError && this._submitError.fields.length > 0)
          ? renderFailure(words, this._submitError, () => this.renderRoot.querySelector('form')?.requestSubmit())
          : nothing
      }
      <p role="status" class="field-error">
        ${errorCount > 0 && this._touched.size === FIELDS.length ? words.fixErrors(errorCount) : nothing}
        ${this._submitError instanceof PartnerApiError && this._submitError.fields.length > 0 ? failureText(words, this._submitError) : nothing}
        ${this._formErrors.map((error) => html`<span class="form-error">${fieldErrorText(words, error)}</span>`)}
      </p>
      <div><button type="submit" aria-disabled=${this._busy ? 'true' : 'false'}>${this._busy ? words.submitting : words.submitApplication}</button></div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'op-partner-apply': OpPartnerApply;
  }
  interface GlobalEventHandlersEventMap {
    'op-partner-applied': CustomEvent<PartnerApplication>;
  }
}
