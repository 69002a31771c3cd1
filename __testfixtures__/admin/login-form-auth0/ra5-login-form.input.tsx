import * as React from "react";
import { useState } from "react";
import { useLogin, useNotify } from "react-admin";
import { Button } from "@mui/material";

const CLASS_NAME = "login-page";

const LoginForm = () => {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const login = useLogin();
  const notify = useNotify();

  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    login({ username, password }).catch(() =>
      notify("Invalid username or password"),
    );
  };

  return (
    <form onSubmit={submit} className={`${CLASS_NAME}__form`}>
      <label>
        <span>Username</span>
        <input
          name="username"
          type="text"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
      </label>
      <label>
        <span>Password</span>
        <input
          name="password"
          type="password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <Button type="submit" variant="contained" color="primary">
        Log in
      </Button>
    </form>
  );
};

export default LoginForm;
