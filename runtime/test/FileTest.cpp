//===- FileTest.cpp - Bounded reading of untrusted files ------------------===//
//
// readRegularFile() refuses special files and oversized files before it
// reads (finding 14 of issue 20: /dev/zero filled 4 GB, a FIFO hung).
//
//===----------------------------------------------------------------------===//

#include "npu/rt/File.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace npu::rt;

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "npurt-file-test-" +
         std::to_string(::getpid()) + "-" + name;
}

TEST(File, ReadsARegularFile) {
  std::string path = tempPath("regular");
  std::ofstream(path, std::ios::binary) << "abcd";
  std::vector<uint8_t> bytes;
  std::string error;
  ASSERT_TRUE(readRegularFile(path, bytes, error)) << error;
  EXPECT_EQ(bytes, (std::vector<uint8_t>{'a', 'b', 'c', 'd'}));
  // Exactly at the limit is fine; one byte over is not, and nothing is read.
  EXPECT_TRUE(readRegularFile(path, bytes, error, 4)) << error;
  bytes.clear();
  EXPECT_FALSE(readRegularFile(path, bytes, error, 3));
  EXPECT_EQ(error, "cannot read '" + path +
                       "': 4 bytes are more than the limit of 3 bytes");
  EXPECT_TRUE(bytes.empty());
  std::remove(path.c_str());
}

TEST(File, RefusesSpecialFiles) {
  std::vector<uint8_t> bytes;
  std::string error;
  EXPECT_FALSE(readRegularFile("/dev/zero", bytes, error));
  EXPECT_EQ(error, "cannot read '/dev/zero': it is a character device, not a "
                   "regular file");
  EXPECT_FALSE(readRegularFile("/", bytes, error));
  EXPECT_EQ(error, "cannot read '/': it is a directory, not a regular file");

  // A FIFO without a writer: opening it would block forever.
  std::string fifo = tempPath("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_FALSE(readRegularFile(fifo, bytes, error));
  EXPECT_EQ(error, "cannot read '" + fifo +
                       "': it is a FIFO, not a regular "
                       "file");
  std::remove(fifo.c_str());

  EXPECT_FALSE(readRegularFile(fifo, bytes, error));
  EXPECT_EQ(error, "cannot open '" + fifo + "': No such file or directory");
}

} // namespace
