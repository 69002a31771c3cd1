import { setup } from "./scratch";

export default setup;
