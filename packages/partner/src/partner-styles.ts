import { css } from 'lit';

/**
 * The look every partner component shares. Public `--op-partner-*` custom properties map to private `--_*` ones.
 *
 * @cssprop --op-partner-accent - Primary buttons and focus; default the bank blue #1a56db.
 * @cssprop --op-partner-danger - Errors; default #b42318.
 * @cssprop --op-partner-font-family - Font family, Chinese UI fonts first by default.
 */
export const partnerStyles = css`
  :host {
    --_accent: var(--op-partner-accent, #1a56db);
    --_danger: var(--op-partner-danger, #b42318);
    --_muted: #5c6370;
    --_border: #c9ced6;
    display: block;
    box-sizing: border-box;
    font: 14px/1.6 var(--op-partner-font-family, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', system-ui, sans-serif);
    color: #1f2329;
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }

  h2,
  h3 {
    margin: 0 0 12px;
    line-height: 1.3;
  }

  h2 {
    font-size: 20px;
  }

  h3 {
    font-size: 16px;
  }

  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: 44px;
    padding: 0 20px;
    font: inherit;
    font-weight: 600;
    color: #fff;
    text-decoration: none;
    cursor: pointer;
    background: var(--_accent);
    border: 1px solid var(--_accent);
    border-radius: 6px;
  }

  button.secondary,
  .button.secondary {
    color: var(--_accent);
    background: #fff;
  }

  /* aria-disabled: a button busy with what the partner just asked keeps its focus (a disabled one would drop it). */
  button[disabled],
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  input,
  select {
    min-height: 40px;
    padding: 6px 10px;
    font: inherit;
    color: inherit;
    background: #fff;
    border: 1px solid var(--_border);
    border-radius: 6px;
  }

  [aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .hint {
    font-size: 13px;
    color: var(--_muted);
  }

  .field-error,
  .failure {
    color: var(--_danger);
  }

  .failure {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    align-items: center;
    padding: 12px;
    background: #fef3f2;
    border: 1px solid #fda29b;
    border-radius: 6px;
  }

  mark {
    color: inherit;
    background: #fde68a;
    text-decoration: underline wavy var(--_danger);
  }

  @media (prefers-reduced-motion: no-preference) {
    button,
    .button {
      transition: filter 0.15s;
    }

    button:hover:not([disabled], [aria-disabled='true']) {
      filter: brightness(1.1);
    }
  }
`;
