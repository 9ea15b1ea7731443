#ifndef CMAILDIRSYSTEM_H
#define CMAILDIRSYSTEM_H

/// syncfs(2): flush every dirty page and inode of the file system that holds `fd`.
/// A GNU extension, so Swift's Glibc module does not export it. Returns 0 or -1 (errno set).
int cmaildir_syncfs(int fd);

/// renameat2(2) with RENAME_NOREPLACE: rename `from` to `to` unless `to` exists, in one step
/// (EEXIST then). A file system that does not support the flag answers EINVAL.
int cmaildir_rename_noreplace(const char *from, const char *to);

#endif
