/**
 * The partner bundle, `/partner/partner.js`: one `<script type="module">` defines the partner components, and the
 * page's module imports what it wires them with (`createPartnerClient`…) from the same file. Its public surface is
 * the package's, chosen in `index.ts`.
 */
import './define.js';

export * from './index.js';
