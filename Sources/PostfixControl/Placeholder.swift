enum PostfixControlPlaceholder {}
