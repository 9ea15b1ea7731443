enum SMTPServerPlaceholder {}
