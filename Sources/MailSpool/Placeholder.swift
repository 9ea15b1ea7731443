enum MailSpoolPlaceholder {}
