export type * from "./records.js";
export type * from "./outcome.js";
