import NIOCore

/// The DATA phase: decode, check, pass content on, and decide at end-of-data.
extension SMTPServerSession {
    mutating func processData() {
        guard case .data(var progress) = mode else { return }
        var chunk = ByteBuffer()
        chunk.reserveCapacity(input.readableBytes)
        let result = progress.decoder.decode(&input, into: &chunk)
        if progress.rejection == nil {
            progress.headers.scan(chunk)
            progress.rejection = rejection(for: progress)
            if progress.rejection == nil, chunk.readableBytes > 0 {
                emit(.messageData(chunk))
            }
        }
        switch result {
        case .needMoreData:
            input.discardReadBytes()
            mode = .data(progress)
        case .endOfData:
            if let rejection = progress.rejection {
                mode = .commands
                abortTransactionIfOpen()
                reject(rejection)
            } else {
                mode = .waitingForCommit
                emit(.commitMessage)
            }
        }
    }

    /// The first reason to refuse this message, checked as the content arrives so a bad
    /// message stops costing disk early. The client still gets the reply only at end-of-data.
    func rejection(for progress: DataProgress) -> SMTPReply? {
        let violations = progress.decoder.violations
        if progress.decoder.decodedByteCount > configuration.messageSizeLimit { return .messageTooBig }
        if violations.contains(.nul), !configuration.acceptsNULInData { return .nulInData }
        if configuration.lineEndingPolicy == .reject, !violations.isDisjoint(with: [.bareCR, .bareLF]) {
            return .bareLineEndingInData
        }
        if violations.contains(.lineTooLong) { return .dataLineTooLong }
        // The count stops at the end of the header section, so it is the section's size
        // however the content was split into reads.
        if progress.headers.headerByteCount > configuration.headerSizeLimit { return .headerTooLarge }
        if progress.headers.receivedCount > configuration.hopCountLimit { return .tooManyHops }
        return nil
    }
}
