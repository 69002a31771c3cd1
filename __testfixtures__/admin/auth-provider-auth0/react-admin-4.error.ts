// placeholder: the rule refuses before reading this
