export { OpSlot, SLOT_STATES, type SlotState } from './op-slot/op-slot.component.js';
export type {
  OpClickDetail,
  OpCloseDetail,
  OpEmptyDetail,
  OpErrorDetail,
  OpRenderDetail,
  OpSlotEventMap,
  OpViewableDetail,
} from './op-slot/op-slot.events.js';
export { configure, pageSession } from './page-session.js';
export { conversion, refresh, setPersonalized } from './slot-actions.js';
