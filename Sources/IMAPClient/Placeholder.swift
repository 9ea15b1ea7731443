import IMAPCodec
