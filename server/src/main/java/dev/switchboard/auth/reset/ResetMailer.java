package dev.switchboard.auth.reset;

import dev.switchboard.config.SwitchboardProperties;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Sends password-reset links by SMTP ({@code spring.mail.*}). Mail goes out on one background
 * thread so that the forget-password answer takes the same time whether or not an account
 * exists. The link is a secret: it is logged nowhere, not even when sending fails.
 */
@Component
public class ResetMailer {

    private static final Logger log = LoggerFactory.getLogger(ResetMailer.class);

    private final ObjectProvider<JavaMailSender> senders;
    private final String from;
    // A small bounded queue: a flood of requests drops mail instead of holding memory.
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(100), r -> {
                Thread t = new Thread(r, "reset-mail");
                t.setDaemon(true);
                return t;
            });

    public ResetMailer(ObjectProvider<JavaMailSender> senders, SwitchboardProperties properties) {
        this.senders = senders;
        this.from = properties.mail().from();
    }

    /** Queues the mail; answers at once. */
    public void send(String to, String username, String domain, String link) {
        JavaMailSender sender = senders.getIfAvailable();
        if (sender == null) {
            log.warn("password reset for {}@{} requested, but no mail server is configured (spring.mail.host);"
                    + " no mail sent", username, domain);
            return;
        }
        SimpleMailMessage mail = new SimpleMailMessage();
        mail.setFrom(from);
        mail.setTo(to);
        mail.setSubject("Reset your Switchboard password");
        mail.setText("""
                Someone asked to reset the password of %s at %s.

                To choose a new password, open this link within one hour:

                %s

                If you did not ask for this, ignore this mail; your password stays as it is.
                """.formatted(username, domain, link));
        try {
            executor.execute(() -> {
                try {
                    sender.send(mail);
                    log.info("password reset mail sent for {}@{}", username, domain);
                } catch (MailException e) {
                    log.warn("password reset mail for {}@{} could not be sent: {}", username, domain,
                            e.getClass().getSimpleName());
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("password reset mail for {}@{} dropped: too many waiting", username, domain);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
