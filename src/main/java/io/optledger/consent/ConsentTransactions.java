package io.optledger.consent;

import java.util.function.Supplier;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactions consent writes run in: the caller's when it has one, else one of their own, retried when PostgreSQL
 * chose it as a deadlock's victim (a sign-up creating an identifier while another transaction waits to lock a contact
 * it holds can close a cycle). A retry needs a transaction of its own: inside a caller's, the failure has doomed it.
 */
@Component
class ConsentTransactions {

    static final int ATTEMPTS = 3;

    private final TransactionTemplate transactions;

    ConsentTransactions(TransactionTemplate transactions) {
        this.transactions = transactions;
    }

    <R> R inTransaction(Supplier<R> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return work.get();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> work.get());
            } catch (PessimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
