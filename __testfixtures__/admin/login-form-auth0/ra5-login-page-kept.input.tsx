import * as React from "react";
import { ThemeProvider, createTheme } from "@mui/material";
import { Notification, defaultTheme } from "react-admin";
import LoginForm from "./LoginForm";
import "./login.scss";

const CLASS_NAME = "login-page";

const Login = () => {
  const BASE_URI = process.env.REACT_APP_SERVER_URL;

  return (
    <ThemeProvider theme={createTheme(defaultTheme)}>
      <div className={`${CLASS_NAME}`}>
        <div className={`${CLASS_NAME}__wrapper`}>
          <div className={`${CLASS_NAME}__box`}>
            <h2>GraphQL API</h2>
            <div className={`${CLASS_NAME}__box__message`}>
              Query and change the data of the service through its GraphQL API.
              The schema documents every query and mutation.
            </div>
            <a
              href={`${BASE_URI}/graphql`}
              className={`${CLASS_NAME}__box__link`}
            >
              Open GraphQL
            </a>
          </div>
          <div className={`${CLASS_NAME}__box`}>
            <h2>Admin UI</h2>
            <div className={`${CLASS_NAME}__box__message`}>
              Sign in to manage the records of every entity with ready-made
              lists and forms.
            </div>
            <LoginForm />
          </div>
          <div className={`${CLASS_NAME}__box`}>
            <h2>REST API</h2>
            <div className={`${CLASS_NAME}__box__message`}>
              Call the REST API of the service. Its Swagger page describes every
              route.
            </div>
            <a href={`${BASE_URI}/api`} className={`${CLASS_NAME}__box__link`}>
              Open Swagger
            </a>
          </div>
        </div>
        <Notification />
      </div>
    </ThemeProvider>
  );
};

export default Login;
