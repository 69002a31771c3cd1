import { Layout } from "react-admin";

export const NoRoleLayout = Layout;
