#define _GNU_SOURCE
#include <unistd.h>
#include "CMaildirSystem.h"

int cmaildir_syncfs(int fd) {
    return syncfs(fd);
}
