import { useLogin, useNotify } from "react-admin";
import { Button } from "@mui/material";

const CLASS_NAME = "login-page";

const LoginForm = () => {
  const login = useLogin();
  const notify = useNotify();

  const signIn = () => {
    login({}).catch(() => notify("Sign-in with Auth0 failed"));
  };

  return (
    <div className={`${CLASS_NAME}__form`}>
      <Button
        type="button"
        variant="contained"
        color="primary"
        onClick={signIn}
      >
        Sign in with Auth0
      </Button>
    </div>
  );
};

export default LoginForm;
