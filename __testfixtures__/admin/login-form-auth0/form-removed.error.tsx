import { Button } from "@mui/material";

// edited by hand: sign-in happens on the company portal
const LoginForm = () => (
  <Button href="https://portal.example.com">Go to the portal</Button>
);

export default LoginForm;
