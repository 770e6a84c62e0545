import { css } from 'lit';

export const opSlotStyles = css`
  :host {
    /* The reserved box: as wide as the container allows up to the declared width, at the declared ratio,
       so the page does not shift when the creative arrives. An unset variable leaves a property at its initial
       value (none, auto, transparent), so those need no fallback. */
    display: block;
    position: relative;
    box-sizing: border-box;
    width: 100%;
    max-width: var(--_reserved-width);
    aspect-ratio: var(--_reserved-ratio);
    overflow: hidden;
    contain: content;
    border-radius: var(--op-slot-radius, 8px);
    background: var(--op-slot-placeholder);
  }

  :host([hidden]) {
    display: none;
  }

  .frame,
  .creative,
  img {
    display: block;
    width: 100%;
    height: 100%;
    color: inherit;
    border-radius: inherit;
    object-fit: cover;
  }

  :focus-visible {
    outline: 3px solid var(--op-slot-focus-ring, #1a56db);
    outline-offset: -3px;
  }

  /* Until the image has loaded, the reserved box stays empty rather than showing a label over nothing. */
  :host(:not([state='rendered'])) .frame {
    visibility: hidden;
  }

  /* The compliance label sits above the creative and cannot be switched off from outside: it is no part,
     and no custom property reaches its display, visibility or opacity. */
  .chrome {
    position: absolute;
    top: 0;
    inset-inline-end: 0;
    z-index: 1;
    display: flex;
    gap: 4px;
    align-items: center;
    max-width: 100%;
    padding: 2px 6px;
    font: 12px/16px var(--op-slot-font, sans-serif);
    color: #fff;
    background: rgb(0 0 0 / 0.62);
    border-end-start-radius: 6px;
    pointer-events: none;
  }

  .advertiser {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  .about-button {
    min-width: 24px;
    min-height: 24px;
    padding: 0;
    border: 0;
    font: inherit;
    color: inherit;
    background: none;
    cursor: pointer;
    pointer-events: auto;
  }
`;
