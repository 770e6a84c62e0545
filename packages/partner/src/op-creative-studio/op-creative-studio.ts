// `<op-creative-studio>`: the template studio (issue 7, steps 3–5). Per slot of an application the partner picks a
// template, fills its fields, uploads a logo and an image, sees the creative live in the slot's real format at desktop
// and mobile widths, saves it (the PNG rendered here from the template, plus the native fields), asks for a preview
// link that opens a real page with the creative forced into its slot, and submits the application for review.
import '@opslot/elements/define';
import {
  APPLICATION_STATUSES,
  CREATIVE_LIMITS,
  CREATIVE_TEMPLATES,
  type Creative,
  type CreativeTemplate,
  type Opslot,
  type PartnerApplication,
  type PartnerCreative,
  type PartnerMe,
  type PartnerPreviewToken,
  type PartnerSlot,
  type PartnerUpload,
} from '@opslot/core';
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { FormFieldError } from '../form-field-error.js';
import { highlightTerms } from '../highlight-terms.js';
import { checkImage, IMAGE_PROBLEMS } from '../image-checks.js';
import { fieldErrorText, type PartnerWords, wordsFor } from '../messages.js';
import { PartnerApiError, type PartnerClient } from '../partner-client.js';
import { partnerStyles } from '../partner-styles.js';
import { createPreviewSession } from '../preview-session.js';
import { failureText, isAbort, renderFailure } from '../render-failure.js';
import { renderTemplate, type TemplateView } from '../render-template.js';
import { type CreativeDraftFields, validateCreative } from '../validate-creative.js';

type ImageKind = 'logo' | 'image';

/** An image field: its check or upload in progress, its problem, or the upload done and the bitmap to draw. */
interface ImageState {
  progress?: number;
  /** A problem found before sending (IMAGE_PROBLEMS), so nothing was sent. */
  problem?: string;
  /** The upload failed; `file` is kept for the retry. */
  failure?: unknown;
  file?: File;
  upload?: PartnerUpload;
  bitmap?: ImageBitmap;
  controller?: AbortController;
  /** The saved creative's picture being fetched back (a reopened application), kept for the retry. */
  savedUploadId?: string;
}

/** What the partner made for one slot: the fields the studio checks, and the state around them. */
interface Draft extends Omit<CreativeDraftFields, 'hasLogo'> {
  logo: ImageState;
  image: ImageState;
  /** Errors shown, by field: the browser's checks and the server's answer. */
  errors: Map<string, FormFieldError>;
  /** The server's errors on what has no control of its own (the PNG, the template, the slot, the request). */
  formErrors: FormFieldError[];
  /** The creative saved last, and whether the fields changed since. */
  saved?: PartnerCreative;
  changedSinceSave: boolean;
  /** Grows with every edit, so that a save knows whether the draft changed while it ran. */
  edits: number;
  token?: PartnerPreviewToken;
  busy?: 'saving' | 'token';
  pngProgress?: number;
  /** The action that failed last, which the retry repeats, and why. */
  failure?: { action: 'save' | 'token'; error: unknown };
}

const TEXT_FIELDS = ['title', 'subtitle', 'cta', 'alt'] as const;
const FIELD_ORDER = ['title', 'subtitle', 'cta', 'brandColor', 'alt', 'logo', 'image'];

/** The studio's control for a field the server names (`fields.logoUploadId` → `logo`), or undefined if it has none. */
function controlOf(serverField: string): string | undefined {
  const name = serverField.replace(/^fields\./, '');
  const control = name === 'logoUploadId' ? 'logo' : name === 'imageUploadId' ? 'image' : name;
  return FIELD_ORDER.includes(control) ? control : undefined;
}

/** The templates a slot can take: the banner ones where it takes banners, else the native card. */
export function templatesFor(slot: PartnerSlot): CreativeTemplate[] {
  if (slot.formats.includes('banner')) return [CREATIVE_TEMPLATES.bannerLeftImage, CREATIVE_TEMPLATES.bannerCentered];
  if (slot.formats.includes('native')) return [CREATIVE_TEMPLATES.nativeCard];
  return [];
}

/** The preview frames: the slot at its own width, and a 360 px phone. */
const MOBILE_WIDTH = 360;

/**
 * @summary The template studio of one application: template, fields, uploads, live preview in the real formats, PNG
 * export, forbidden-words check, preview link and submission for review.
 * @event op-partner-creative-saved - A creative was saved; `detail` is the `PartnerCreative`.
 * @event op-partner-submitted - The application was submitted for review; `detail` is the `PartnerApplication`.
 */
export class OpCreativeStudio extends LitElement {
  static override styles = [
    partnerStyles,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(280px, 380px) minmax(0, 1fr);
        gap: 24px;
        align-items: start;
      }

      @media (max-width: 800px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }

      form,
      .field,
      fieldset {
        display: grid;
        gap: 6px;
      }

      form {
        gap: 14px;
      }

      fieldset {
        margin: 0;
        padding: 10px 12px;
        border: 1px solid var(--_border);
        border-radius: 6px;
      }

      label,
      legend {
        font-weight: 600;
      }

      .choice {
        display: flex;
        gap: 8px;
        align-items: center;
        min-height: 32px;
        font-weight: 400;
      }

      input[type='color'] {
        width: 64px;
        padding: 2px;
      }

      progress {
        width: 100%;
      }

      .frames {
        display: grid;
        gap: 16px;
      }

      .frame {
        overflow-x: auto;
        padding: 12px;
        background: #f2f4f7;
        border-radius: 8px;
      }

      .frame-label {
        margin: 0 0 8px;
        font-size: 13px;
        color: var(--_muted);
      }

      .mobile {
        max-width: ${MOBILE_WIDTH + 24}px;
      }

      .banner {
        position: relative;
        margin: 0;
      }

      .banner img {
        display: block;
        max-width: 100%;
        height: auto;
      }

      /* As the SDK's compliance chrome draws it over a banner. */
      .ad-chrome {
        position: absolute;
        bottom: 4px;
        left: 4px;
        display: inline-flex;
        gap: 4px;
        max-width: calc(100% - 8px);
        padding: 0 6px;
        font-size: 12px;
        line-height: 20px;
        color: #fff;
        background: rgb(0 0 0 / 0.66);
        border-radius: 4px;
      }

      .ad-chrome span:last-child {
        overflow: hidden;
        white-space: nowrap;
        text-overflow: ellipsis;
      }

      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: center;
      }

      .status {
        margin: 0;
      }

      .review {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 4px 12px;
        margin: 0 0 16px;
      }

      .review dt {
        font-weight: 600;
      }

      .review dd {
        margin: 0;
        white-space: pre-line;
      }
    `,
  ];

  static override properties = {
    client: { attribute: false },
    application: { attribute: false },
    me: { attribute: false },
    previewPages: { attribute: false },
    _slotId: { state: true },
    _drafts: { state: true },
    _png: { state: true },
    _revision: { state: true },
    _loadError: { state: true },
    _submitting: { state: true },
    _submitError: { state: true },
    _announcement: { state: true },
  };

  declare client: PartnerClient | undefined;
  /** The application whose slots the studio makes creatives for (from `op-partner-applied`). */
  declare application: PartnerApplication | undefined;
  /** The partner and its slots; asked from the server when not given. */
  declare me: PartnerMe | undefined;
  /** The page of each channel that a preview link opens, e.g. `{ "corporate-web": "/examples/corporate-web/" }`. */
  declare previewPages: Record<string, string>;
  declare private _slotId: string | undefined;
  declare private _drafts: Map<string, Draft>;
  /** The PNG of the current slot's template, as last rendered, with the view it was drawn from. */
  declare private _png: RenderedPng | undefined;
  /** Grows with every change the preview shows; the previews' slots are re-created on it. */
  declare private _revision: number;
  declare private _loadError: unknown;
  declare private _submitting: boolean;
  declare private _submitError: unknown;
  /** What the studio's one live region says: the last thing done, in the partner's words, until the next edit. */
  declare private _announcement: ((words: PartnerWords) => string) | undefined;
  private readonly _canvas = document.createElement('canvas');
  private readonly _sessions = new Map<string, Opslot>();
  private _request: AbortController | undefined;
  private _renderQueued = false;
  /** Counts the files chosen per slot and image, so that only the latest one's check and upload count. */
  private readonly _fileRuns = new Map<string, number>();
  private _previewTimer: ReturnType<typeof setTimeout> | undefined;
  /** The id of the application whose drafts `_drafts` holds. */
  private _draftsOf: string | undefined;

  constructor() {
    super();
    this.previewPages = {};
    this._drafts = new Map();
    this._revision = 0;
    this._submitting = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a move that cut the question of /me short (the abort left no answer and no error), or
    // the fetching back of a saved picture.
    if (this.hasUpdated && this.client && !this.me && !this._loadError) void this._loadMe();
    if (this.hasUpdated) this._restoreImages();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._request?.abort();
    clearTimeout(this._previewTimer);
    this._abortImages();
    if (this._png) URL.revokeObjectURL(this._png.url);
    this._png = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('client') && this.client && !this.me) void this._loadMe();
    if ((changed.has('application') || changed.has('me')) && this.application && this.me) this._startDrafts();
  }

  protected override updated(): void {
    this._queueRender();
  }

  private async _loadMe(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this._request?.abort();
    const request = new AbortController();
    this._request = request;
    this._loadError = undefined;
    try {
      this.me = await client.me(request.signal);
    } catch (error) {
      if (!isAbort(error)) this._loadError = error;
    }
  }

  /** The application's slots as the partner API describes them, in the application's order. */
  private get _slots(): PartnerSlot[] {
    const slots = this.me?.slots ?? [];
    return (this.application?.slotIds ?? []).flatMap((id) => slots.filter((slot) => slot.id === id));
  }

  private get _slot(): PartnerSlot | undefined {
    return this._slots.find((slot) => slot.id === this._slotId) ?? this._slots[0];
  }

  private get _draft(): Draft | undefined {
    const slot = this._slot;
    return slot && this._drafts.get(slot.id);
  }

  /** A draft per slot, from the creative saved last for it (a rejected application comes back with them). */
  private _startDrafts(): void {
    const drafts = new Map<string, Draft>();
    // The same application answered again (submitted, say) keeps what the partner made; another one starts afresh.
    const sameApplication = this._draftsOf === this.application?.id;
    if (!sameApplication) this._abortImages();
    this._draftsOf = this.application?.id;
    for (const slot of this._slots) {
      const kept = sameApplication ? this._drafts.get(slot.id) : undefined;
      if (kept) {
        drafts.set(slot.id, kept);
        continue;
      }
      const saved = this.application?.creatives.filter((creative) => creative.slotId === slot.id).at(-1);
      const templates = templatesFor(slot);
      drafts.set(slot.id, {
        template:
          saved && templates.includes(saved.template)
            ? saved.template
            : (templates[0] ?? CREATIVE_TEMPLATES.nativeCard),
        title: saved?.fields.title ?? '',
        subtitle: saved?.fields.subtitle ?? '',
        cta: saved?.fields.cta ?? '',
        brandColor: saved?.fields.brandColor ?? '#1a56db',
        alt: saved?.alt ?? '',
        logo: {},
        image: {},
        errors: new Map(),
        formErrors: [],
        ...(saved && { saved }),
        changedSinceSave: false,
        edits: 0,
      });
    }
    this._drafts = drafts;
    this._restoreImages();
  }

  /** Fetches back the pictures of each slot's saved creative that its draft lacks and is not fetching already. */
  private _restoreImages(): void {
    for (const [slotId, draft] of this._drafts) {
      for (const kind of ['logo', 'image'] as const) {
        const uploadId = draft.saved?.fields[kind === 'logo' ? 'logoUploadId' : 'imageUploadId'];
        const state = draft[kind];
        const idle = !state.upload && !state.file && !state.problem && !state.failure;
        if (uploadId && idle && (state.controller?.signal.aborted ?? true)) {
          void this._restoreImage(slotId, kind, uploadId);
        }
      }
    }
  }

  /**
   * Fetches back a picture of the creative saved last for a slot (a rejected application reopened), so that the
   * partner may correct the words and save again without uploading the logo or the image anew. The draft stays as
   * saved: the picture is the saved one.
   */
  private async _restoreImage(slotId: string, kind: ImageKind, uploadId: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const latest = this._newImageRun(slotId, kind);
    this._drafts.get(slotId)?.[kind].controller?.abort();
    const controller = new AbortController();
    const set = (state: ImageState) => {
      if (latest()) this._setImage(slotId, kind, { ...state, savedUploadId: uploadId }, false);
    };
    set({ controller });
    try {
      const picture = await client.uploadedImage(uploadId, controller.signal);
      const check = await checkImage(picture);
      if (!check.ok) throw new PartnerApiError(0, 'bad-image', check.problem);
      if (!latest()) {
        check.bitmap.close();
        return;
      }
      const { type, width, height, bitmap } = check;
      const url = client.resolve(`uploads/${encodeURIComponent(uploadId)}`);
      set({ upload: { id: uploadId, type, width, height, bytes: picture.size, url }, bitmap });
      this._revision += 1;
    } catch (error) {
      if (!isAbort(error)) set({ failure: error });
    }
  }

  /** Starts a run for one slot's image: only its latest run (a file chosen, a saved picture fetched) may change it. */
  private _newImageRun(slotId: string, kind: ImageKind): () => boolean {
    const key = `${slotId} ${kind}`;
    const run = (this._fileRuns.get(key) ?? 0) + 1;
    this._fileRuns.set(key, run);
    return () => this._fileRuns.get(key) === run;
  }

  /** Sets one slot's image state, clearing the error shown on it; `edited` unless the picture is the saved one. */
  private _setImage(slotId: string, kind: ImageKind, state: ImageState, edited: boolean): void {
    const draft = this._drafts.get(slotId);
    if (!draft) return;
    const errors = new Map(draft.errors);
    errors.delete(kind);
    this._drafts = new Map(this._drafts).set(slotId, {
      ...draft,
      [kind]: state,
      errors,
      ...(edited && { changedSinceSave: true, edits: draft.edits + 1 }),
    });
  }

  /** Stops every image's check, upload or fetching back. */
  private _abortImages(): void {
    for (const draft of this._drafts.values()) {
      draft.logo.controller?.abort();
      draft.image.controller?.abort();
    }
  }

  /** Applies `change` to the current draft and shows it. */
  private _change(change: Partial<Draft>): void {
    const slot = this._slot;
    const draft = this._draft;
    if (!slot || !draft) return;
    const edits = change.changedSinceSave ? draft.edits + 1 : draft.edits;
    if (change.changedSinceSave) this._announcement = undefined;
    this._drafts = new Map(this._drafts).set(slot.id, { ...draft, ...change, edits });
  }

  /** Edits show at once in the PNG; the real-format previews are re-created once typing pauses. */
  private _edited(): void {
    clearTimeout(this._previewTimer);
    this._previewTimer = setTimeout(() => {
      this._revision += 1;
    }, 250);
  }

  private _checkedErrors(draft: Draft, touched: Iterable<string>): Map<string, FormFieldError> {
    const found = validateCreative({ ...draft, hasLogo: Boolean(draft.logo.upload) });
    const shown = new Set(touched);
    const errors = new Map<string, FormFieldError>();
    for (const error of found) if (shown.has(error.field)) errors.set(error.field, error);
    // The server's verdict on a field holds until that field changes.
    for (const [field, error] of draft.errors) if (!errors.has(field) && !shown.has(field)) errors.set(field, error);
    return errors;
  }

  private _onInput(event: Event): void {
    const control = event.target as HTMLInputElement;
    const draft = this._draft;
    if (!draft) return;
    const field = control.name;
    if (field === 'template') {
      this._change({ template: control.value as CreativeTemplate, changedSinceSave: true });
    } else if (field === 'slot') {
      this._slotId = control.value;
      this._revision += 1;
      return;
    } else if ((TEXT_FIELDS as readonly string[]).includes(field) || field === 'brandColor') {
      const next = { ...draft, [field]: control.value, changedSinceSave: true };
      const errors = new Map(draft.errors);
      errors.delete(field);
      // Forbidden words show as they are typed; lengths once the field is left (on blur) or on save.
      const live = this._checkedErrors({ ...next, errors }, [field]).get(field);
      if (live?.code === 'forbidden-words' || draft.errors.has(field)) {
        if (live) errors.set(field, live);
      }
      this._change({ ...next, errors });
    } else return;
    this._edited();
  }

  private _onBlur(event: FocusEvent): void {
    const field = (event.target as HTMLInputElement).name;
    const draft = this._draft;
    if (!draft || !(TEXT_FIELDS as readonly string[]).includes(field)) return;
    const errors = new Map(draft.errors);
    errors.delete(field);
    this._change({ errors: this._checkedErrors({ ...draft, errors }, [field]) });
  }

  private async _onFile(kind: ImageKind, file: File | undefined): Promise<void> {
    const slot = this._slot;
    const client = this.client;
    if (!slot || !client || !file) return;
    // Only the file chosen last for this image may change it: an earlier one still being checked or sent is dropped.
    const latest = this._newImageRun(slot.id, kind);
    const previous = this._drafts.get(slot.id)?.[kind];
    previous?.controller?.abort();
    const controller = new AbortController();
    // The earlier good upload stays until a new one replaces it: a refused or failed file does not lose it.
    const kept: ImageState =
      previous?.upload && previous.bitmap ? { upload: previous.upload, bitmap: previous.bitmap } : {};
    const update = (state: ImageState) => {
      if (latest()) this._setImage(slot.id, kind, state, true);
    };
    update({ ...kept, controller });
    const check = await checkImage(file);
    if (!latest() || controller.signal.aborted) {
      if (check.ok) check.bitmap.close();
      return;
    }
    if (!check.ok) {
      // Refused before anything is sent.
      update({ ...kept, problem: check.problem });
      return;
    }
    update({ ...kept, progress: 0, file, controller });
    try {
      const upload = await client.upload(file, check.type, {
        signal: controller.signal,
        onProgress: (loaded, total) => update({ ...kept, progress: total > 0 ? loaded / total : 0, file, controller }),
      });
      if (!latest()) {
        check.bitmap.close();
        return;
      }
      update({ upload, bitmap: check.bitmap });
      this._announcement = (words) => `${words[kind]} ${words.uploaded(upload.width, upload.height)}`;
      kept.bitmap?.close();
      this._revision += 1;
    } catch (error) {
      check.bitmap.close();
      if (!isAbort(error)) update({ ...kept, failure: error, file });
    }
  }

  /** Renders the template of the current slot at its pixel size, and keeps its PNG for preview and download. */
  private _queueRender(): void {
    if (this._renderQueued) return;
    this._renderQueued = true;
    requestAnimationFrame(() => {
      this._renderQueued = false;
      void this._renderPng();
    });
  }

  /**
   * The PNG being encoded, with the view it was drawn from: a save asked for while it encodes waits for it rather
   * than take the older `_png`. Saving, uploading or a token change the draft, not the picture.
   */
  private _encoding: { slotId: string; view: TemplateView; blob: Promise<Blob | undefined> } | undefined;
  /** Counts renders, so that a slower encoding finishing late never replaces a newer picture. */
  private _renders = 0;
  private _shownRender = 0;

  private async _renderPng(): Promise<Blob | undefined> {
    const slot = this._slot;
    const draft = this._draft;
    if (!slot || !draft) return undefined;
    const view: TemplateView = {
      template: draft.template,
      width: slot.width,
      height: slot.height,
      title: draft.title.trim(),
      subtitle: draft.subtitle.trim(),
      cta: draft.cta.trim(),
      brandColor: /^#[0-9a-f]{6}$/i.test(draft.brandColor) ? draft.brandColor : '#1a56db',
      ...(draft.logo.bitmap && { logo: draft.logo.bitmap }),
      ...(draft.image.bitmap && draft.template === CREATIVE_TEMPLATES.bannerLeftImage && { image: draft.image.bitmap }),
    };
    const png = this._png;
    if (png?.slotId === slot.id && sameView(png.view, view)) return png.blob;
    const encoding = this._encoding;
    if (encoding?.slotId === slot.id && sameView(encoding.view, view)) return encoding.blob;
    const canvas = this._canvas;
    canvas.width = slot.width;
    canvas.height = slot.height;
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    renderTemplate(context, view);
    const render = ++this._renders;
    // toBlob copies the canvas at once, so the next render may draw on it while this one encodes.
    const blob = new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png')).then((blob) => {
      if (this._encoding?.view === view) this._encoding = undefined;
      if (!blob || !this.isConnected) return undefined;
      if (render > this._shownRender) {
        this._shownRender = render;
        if (this._png) URL.revokeObjectURL(this._png.url);
        this._png = { slotId: slot.id, view, blob, url: URL.createObjectURL(blob) };
      }
      return blob;
    });
    this._encoding = { slotId: slot.id, view, blob };
    return blob;
  }

  private async _save(): Promise<void> {
    const slot = this._slot;
    const draft = this._draft;
    const client = this.client;
    const application = this.application;
    if (!slot || !draft || !client || !application || draft.busy || !this._editable) return;
    const errors = this._checkedErrors({ ...draft, errors: new Map() }, FIELD_ORDER);
    if (errors.size > 0) {
      this._change({ errors });
      await this.updateComplete;
      const first = FIELD_ORDER.find((field) => errors.has(field));
      if (first) this._focus(first);
      return;
    }
    const editsAtStart = draft.edits;
    const update = (change: Partial<Draft>) => {
      const current = this._drafts.get(slot.id);
      if (current) this._drafts = new Map(this._drafts).set(slot.id, { ...current, ...change });
    };
    update({ busy: 'saving', errors, formErrors: [], failure: undefined, pngProgress: 0 });
    this._announcement = (words) => words.saving;
    try {
      const png = await this._renderPng();
      if (!png) throw new PartnerApiError(0, 'unexpected-response', 'The PNG could not be rendered.');
      const pngUpload = await client.upload(png, 'image/png', {
        onProgress: (loaded, total) => update({ pngProgress: total > 0 ? loaded / total : 0 }),
      });
      const creative = await client.createCreative(application.id, {
        slotId: slot.id,
        template: draft.template,
        fields: {
          title: draft.title.trim(),
          subtitle: draft.subtitle.trim(),
          cta: draft.cta.trim(),
          brandColor: draft.brandColor,
          ...(draft.logo.upload && { logoUploadId: draft.logo.upload.id }),
          ...(draft.image.upload &&
            draft.template === CREATIVE_TEMPLATES.bannerLeftImage && { imageUploadId: draft.image.upload.id }),
        },
        pngUploadId: pngUpload.id,
        alt: draft.alt.trim(),
      });
      // Edits typed while the save ran are not in `creative`: they stay unsaved.
      const changedSinceSave = (this._drafts.get(slot.id)?.edits ?? editsAtStart) !== editsAtStart;
      update({ busy: undefined, saved: creative, changedSinceSave, token: undefined, pngProgress: undefined });
      this._announcement = changedSinceSave ? undefined : (words) => words.saved;
      this.dispatchEvent(
        new CustomEvent('op-partner-creative-saved', { detail: creative, bubbles: true, composed: true }),
      );
    } catch (error) {
      this._announcement = undefined;
      const serverErrors = new Map<string, FormFieldError>();
      const formErrors: FormFieldError[] = [];
      for (const field of error instanceof PartnerApiError ? error.fields : []) {
        const name = controlOf(field.field);
        if (name) serverErrors.set(name, { ...field, field: name, message: field.message ?? '' });
        else formErrors.push(field);
      }
      update({
        busy: undefined,
        pngProgress: undefined,
        errors: serverErrors,
        formErrors,
        failure: { action: 'save', error },
      });
      await this.updateComplete;
      const first = FIELD_ORDER.find((field) => serverErrors.has(field));
      if (first) this._focus(first);
    }
  }

  private _focus(field: string): void {
    (this.renderRoot as ShadowRoot).getElementById(field)?.focus();
  }

  private async _previewLink(): Promise<void> {
    const draft = this._draft;
    const client = this.client;
    if (!draft?.saved || !client || draft.busy) return;
    const slotId = this._slot?.id as string;
    const update = (change: Partial<Draft>) => {
      const current = this._drafts.get(slotId);
      if (current) this._drafts = new Map(this._drafts).set(slotId, { ...current, ...change });
    };
    update({ busy: 'token', failure: undefined });
    try {
      update({ token: await client.previewToken(draft.saved.id), busy: undefined });
    } catch (error) {
      update({ busy: undefined, failure: { action: 'token', error } });
    }
  }

  private async _submit(): Promise<void> {
    const client = this.client;
    const application = this.application;
    if (!client || !application || this._submitting || !this._editable) return;
    this._submitting = true;
    this._submitError = undefined;
    try {
      this.application = await client.submit(application.id);
      this._announcement = (words) => words.submitted;
      this.dispatchEvent(
        new CustomEvent('op-partner-submitted', { detail: this.application, bubbles: true, composed: true }),
      );
    } catch (error) {
      this._submitError = error;
    } finally {
      this._submitting = false;
    }
  }

  /** Whether the application may still change: a draft, or one the bank sent back. */
  private get _editable(): boolean {
    const status = this.application?.status;
    return status === APPLICATION_STATUSES.draft || status === APPLICATION_STATUSES.rejected;
  }

  /** The creative as the native format shows it, built from the fields; undefined until it has a logo. */
  private _previewCreative(slot: PartnerSlot): Creative | undefined {
    const draft = this._drafts.get(slot.id);
    const me = this.me;
    const logo = draft?.logo.upload;
    if (!draft || !me || !logo || !this.application) return undefined;
    const subtitle = draft.subtitle.trim();
    return {
      id: `studio-${slot.id}`,
      campaignId: `studio-${this.application.id}`,
      format: 'native',
      advertiser: { id: me.partner.id, name: me.partner.name },
      assets: {
        logo: { src: logo.url, width: logo.width, height: logo.height, alt: wordsFor(this).logoAlt(me.partner.name) },
        text: { title: draft.title.trim() || '…', cta: draft.cta.trim() || '…', ...(subtitle && { subtitle }) },
        brandColor: /^#[0-9a-f]{6}$/i.test(draft.brandColor) ? draft.brandColor : '#1a56db',
      },
      landingUrl: this.application.landingUrl,
      strategy: 'preview',
      reason: 'studio preview',
    };
  }

  private _session(slot: PartnerSlot, locale: string): Opslot {
    let session = this._sessions.get(slot.id);
    if (!session) {
      session = createPreviewSession({
        endpoint: this.client?.endpoint ?? document.baseURI,
        channel: slot.channel,
        locale,
        creative: () => this._previewCreative(slot),
      });
      this._sessions.set(slot.id, session);
    }
    return session;
  }

  protected override render() {
    const words = wordsFor(this);
    if (this._loadError) return renderFailure(words, this._loadError, () => void this._loadMe());
    const slot = this._slot;
    const draft = this._draft;
    if (!this.me || !this.application) return html`<p role="status">${words.loading}</p>`;
    if (!slot || !draft) return nothing;
    const rejected = this.application.status === APPLICATION_STATUSES.rejected;
    const reason = rejected ? this.application.reviewReason : undefined;
    // The status (and the reviewer's reason) describe the whole studio, so a screen reader says them on entering it.
    return html`<section aria-labelledby="studio-title" aria-describedby=${reason ? 'application-status review-reason' : 'application-status'}>
      <h2 id="studio-title">${words.studioTitle}</h2>
      <dl class="review">
        <dt>${words.applicationStatus}</dt>
        <dd id="application-status">${words.statuses[this.application.status] ?? this.application.status}</dd>
        ${reason ? html`<dt>${words.reviewReason}</dt><dd id="review-reason">${reason}</dd>` : nothing}
      </dl>
      ${this._renderSlotPicker(words, slot)}
      <div class="layout">
        <form novalidate @input=${this._onInput} @change=${this._onInput} @focusout=${this._onBlur} @submit=${(
          event: Event,
        ) => {
          event.preventDefault();
          void this._save();
        }}>
          <h3>${words.slotHeading(slot.id, slot.width, slot.height)}</h3>
          ${this._renderTemplates(words, slot, draft)} ${this._renderText('title', words.title, words, draft)}
          ${this._renderText('subtitle', words.subtitle, words, draft)} ${this._renderText('cta', words.cta, words, draft)}
          <div class="field">
            <label for="brandColor">${words.brandColor}</label>
            <input id="brandColor" name="brandColor" type="color" .value=${draft.brandColor} />
          </div>
          ${this._renderImage('logo', words.logo, words, draft)}
          ${draft.template === CREATIVE_TEMPLATES.bannerLeftImage ? this._renderImage('image', words.image, words, draft) : nothing}
          ${this._renderText('alt', words.alt, words, draft)} ${this._renderActions(words, slot, draft)}
        </form>
        ${this._renderPreview(words, slot)}
      </div>
      <div class="actions">
        <button type="button" aria-disabled=${this._submitting || !this._editable ? 'true' : 'false'} @click=${this._submit}>
          ${words.submitForReview}
        </button>
        <p class="status" role="status">${this._announcement?.(words) ?? ''}</p>
      </div>
      ${this._submitError ? renderFailure(words, this._submitError, () => void this._submit()) : nothing}
    </section>`;
  }

  private _renderSlotPicker(words: PartnerWords, slot: PartnerSlot): TemplateResult | typeof nothing {
    const slots = this._slots;
    if (slots.length < 2) return nothing;
    return html`<div class="field" @change=${this._onInput}>
      <label for="slot">${words.slot}</label>
      <select id="slot" name="slot">
        ${slots.map((each) => html`<option value=${each.id} ?selected=${each.id === slot.id}>${words.slotHeading(each.id, each.width, each.height)}</option>`)}
      </select>
    </div>`;
  }

  private _renderTemplates(words: PartnerWords, slot: PartnerSlot, draft: Draft) {
    return html`<fieldset>
      <legend>${words.template}</legend>
      ${templatesFor(slot).map(
        (template) => html`<label class="choice"
          ><input type="radio" name="template" .value=${template} .checked=${draft.template === template} />${words.templates[template]}</label
        >`,
      )}
    </fieldset>`;
  }

  private _aria(field: string, draft: Draft) {
    const invalid = draft.errors.has(field);
    return {
      invalid: invalid ? 'true' : 'false',
      described: [`${field}-hint`, invalid ? `${field}-error` : ''].filter(Boolean).join(' '),
    };
  }

  private _renderError(field: string, words: PartnerWords, draft: Draft, value?: string) {
    const error = draft.errors.get(field);
    if (!error) return nothing;
    if (error.code === 'forbidden-words' && value !== undefined) {
      return html`<span class="field-error" id="${field}-error"
        >${words.forbiddenFound((error.words ?? []).join('、'))}<br />${highlightTerms(value, error.words)}</span
      >`;
    }
    return html`<span class="field-error" id="${field}-error">${fieldErrorText(words, error)}</span>`;
  }

  private _renderText(field: (typeof TEXT_FIELDS)[number], label: string, words: PartnerWords, draft: Draft) {
    const { min, max } = CREATIVE_LIMITS[field];
    const aria = this._aria(field, draft);
    const value = draft[field];
    const hint = words.lengthHint(min, max);
    return html`<div class="field">
      <label for=${field}>${label}</label>
      <span class="hint" id="${field}-hint">${hint}</span>
      <input id=${field} name=${field} .value=${value} aria-invalid=${aria.invalid} aria-describedby=${aria.described} />
      ${this._renderError(field, words, draft, value)}
    </div>`;
  }

  private _renderImage(kind: ImageKind, label: string, words: PartnerWords, draft: Draft) {
    const state = draft[kind];
    const aria = this._aria(kind, draft);
    const problem = state.problem
      ? (words.imageErrors[state.problem] ?? words.imageErrors[IMAGE_PROBLEMS.unreadable])
      : undefined;
    return html`<div class="field">
      <label for=${kind}>${label}</label>
      <span class="hint" id="${kind}-hint">${words.uploadHint}</span>
      <input
        id=${kind}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        aria-invalid=${problem || draft.errors.has(kind) ? 'true' : 'false'}
        aria-describedby=${[aria.described, problem ? `${kind}-problem` : ''].filter(Boolean).join(' ')}
        @change=${(event: Event) => void this._onFile(kind, (event.target as HTMLInputElement).files?.[0])}
      />
      ${
        state.progress !== undefined && !state.failure
          ? html`<progress aria-label="${words.uploading} ${label}" max="1" .value=${state.progress}></progress>`
          : nothing
      }
      ${state.upload ? html`<span class="hint">${words.uploaded(state.upload.width, state.upload.height)}</span>` : nothing}
      ${problem ? html`<span class="field-error" id="${kind}-problem" role="alert">${problem}</span>` : nothing}
      ${state.failure ? renderFailure(words, state.failure, () => this._retryImage(kind, state)) : nothing}
      ${this._renderError(kind, words, draft)}
    </div>`;
  }

  /** Repeats what failed for an image: the upload of the file chosen, or the fetching back of the saved picture. */
  private _retryImage(kind: ImageKind, state: ImageState): void {
    const slot = this._slot;
    if (state.file) void this._onFile(kind, state.file);
    else if (slot && state.savedUploadId) void this._restoreImage(slot.id, kind, state.savedUploadId);
  }

  private _renderActions(words: PartnerWords, slot: PartnerSlot, draft: Draft) {
    const png = this._png?.slotId === slot.id ? this._png : undefined;
    const page = previewPage(this.previewPages, slot.channel);
    const token = draft.token;
    let link: string | undefined;
    if (token && page) {
      page.searchParams.set('opslot_preview', token.token);
      link = page.href;
    }
    const expiry = token
      ? new Intl.DateTimeFormat(words.locale, {
          timeZone: 'Asia/Shanghai',
          dateStyle: 'medium',
          timeStyle: 'short',
        }).format(token.expiresAt)
      : '';
    const failure = draft.failure;
    const serverFieldErrors = failure?.error instanceof PartnerApiError && failure.error.fields.length > 0;
    const editable = this._editable;
    return html`<div class="actions">
        <button
          type="submit"
          aria-disabled=${draft.busy !== undefined || !editable ? 'true' : 'false'}
          aria-describedby=${editable ? nothing : 'not-editable'}
        >${draft.busy === 'saving' ? words.saving : words.saveCreative}</button>
        ${png ? html`<a class="button secondary" href=${png.url} download="${slot.id}-${slot.width}x${slot.height}.png">${words.downloadPng}</a>` : nothing}
      </div>
      ${editable ? nothing : html`<p class="hint" id="not-editable">${words.notEditable}</p>`}
      ${draft.pngProgress !== undefined ? html`<progress aria-label=${words.uploading} max="1" .value=${draft.pngProgress}></progress>` : nothing}
      ${failure && !serverFieldErrors ? renderFailure(words, failure.error, () => void (failure.action === 'token' ? this._previewLink() : this._save())) : nothing}
      ${
        serverFieldErrors
          ? html`<p class="field-error" role="alert">
            ${failureText(words, failure?.error)}
            ${draft.formErrors.map((error) => html`<span class="form-error">${fieldErrorText(words, error)}</span>`)}
          </p>`
          : nothing
      }
      ${
        draft.saved && !draft.changedSinceSave
          ? html`<div class="actions">
            <button class="secondary" type="button" aria-disabled=${draft.busy !== undefined ? 'true' : 'false'} @click=${this._previewLink}>${words.getPreviewLink}</button>
            ${link ? html`<a href=${link} target="_blank" rel="noopener">${words.previewLink(slot.channel)}</a><span class="hint">${words.expiresAt(expiry)}</span>` : nothing}
            ${token && !page ? html`<span class="field-error">${words.noPreviewPage(slot.channel)}</span>` : nothing}
          </div>`
          : nothing
      }`;
  }

  private _renderPreview(words: PartnerWords, slot: PartnerSlot) {
    const advertiser = this.me?.partner.name ?? '';
    const draft = this._drafts.get(slot.id);
    const png = this._png?.slotId === slot.id ? this._png : undefined;
    const banner = slot.formats.includes('banner');
    const frame = (label: string, className: string, width: number) => html`<div class="frame ${className}">
      <p class="frame-label">${label}</p>
      ${
        banner
          ? png
            ? html`<figure class="banner">
                <img src=${png.url} width=${slot.width} height=${slot.height} alt=${draft?.alt || draft?.title || words.preview} />
                <figcaption class="ad-chrome"><span>${words.adLabel}</span><span>${advertiser}</span></figcaption>
              </figure>`
            : nothing
          : this._previewCreative(slot)
            ? keyed(
                this._revision,
                html`<op-slot
                  .session=${this._session(slot, words.locale)}
                  slot-id=${slot.id}
                  size="${Math.min(width, slot.width)}x${Math.round((slot.height * Math.min(width, slot.width)) / slot.width)}"
                  @op-navigate=${(event: Event) => event.preventDefault()}
                ></op-slot>`,
              )
            : html`<p class="hint">${words.logoNeeded}</p>`
      }
    </div>`;
    return html`<section class="frames" aria-label=${words.preview}>
      ${frame(`${words.desktop} · ${slot.width}×${slot.height}`, 'desktop', slot.width)}
      ${frame(`${words.mobile} · ${MOBILE_WIDTH}px`, 'mobile', MOBILE_WIDTH)}
    </section>`;
  }
}

interface RenderedPng {
  slotId: string;
  view: TemplateView;
  blob: Blob;
  url: string;
}

declare global {
  interface HTMLElementTagNameMap {
    'op-creative-studio': OpCreativeStudio;
  }
  interface GlobalEventHandlersEventMap {
    'op-partner-creative-saved': CustomEvent<PartnerCreative>;
    'op-partner-submitted': CustomEvent<PartnerApplication>;
  }
}

/**
 * The page of `channel` that a preview link opens, or undefined: only an http(s) page of this origin, so that a
 * misconfigured map can never send the partner's preview token elsewhere or into a `javascript:` URL.
 */
function previewPage(pages: Record<string, string>, channel: string): URL | undefined {
  const page = Object.hasOwn(pages, channel) ? pages[channel] : undefined;
  if (typeof page !== 'string' || !URL.canParse(page, document.baseURI)) return undefined;
  const url = new URL(page, document.baseURI);
  const sameOrigin = url.origin === location.origin && (url.protocol === 'https:' || url.protocol === 'http:');
  return sameOrigin ? url : undefined;
}

/** Whether two template views draw the same picture: the same words, colour, template, size and images. */
function sameView(a: TemplateView, b: TemplateView): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof TemplateView)[]);
  return [...keys].every((key) => a[key] === b[key]);
}
