#ifndef CMAILDIRSYSTEM_H
#define CMAILDIRSYSTEM_H

/// syncfs(2): flush every dirty page and inode of the file system that holds `fd`.
/// A GNU extension, so Swift's Glibc module does not export it. Returns 0 or -1 (errno set).
int cmaildir_syncfs(int fd);

#endif
